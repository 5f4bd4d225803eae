"""The audit trail cannot be emptied: PostgreSQL refuses TRUNCATE of it too, except to the table's owner
who asks for it in the transaction (what Django's flush, as the audit app overrides it, does to empty
the test database between transactional tests). The application's role in production does not own
the table, so asking does not help it."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

import audit.services as audit
from audit.management.commands.flush import ALLOW_TRUNCATE_SETTING
from audit.models import AuditEvent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the TRUNCATE trigger exists on PostgreSQL only"
)


@pytest.fixture
def events():
    user = get_user_model().objects.create(username="auditor")
    return [audit.record(action="auth.login", actor=user), audit.record(action="auth.logout", actor=user)]


def allow_truncate_sql() -> str:
    return f"SELECT set_config('{ALLOW_TRUNCATE_SETTING}', 'on', true)"


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE TABLE audit_auditevent RESTART IDENTITY CASCADE",
        "TRUNCATE django_session, audit_auditevent",
    ],
)
def test_the_database_refuses_to_truncate_the_audit_trail(events, sql):
    # given events in the trail (and a connection that owns the table: the test database's superuser)

    # when someone empties the table around the ORM
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    # then the events are all there
    assert AuditEvent.objects.count() == len(events)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_asking_for_truncate_does_not_help_a_role_that_does_not_own_the_table(events):
    # given a role like the application's in production, granted even TRUNCATE, that does not own the table
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database's user may not create a role")
    role = f"pspp_app_{uuid.uuid4().hex[:12]}"  # roles are per cluster: unique, and rolled back below

    # when it asks for the TRUNCATE its transaction
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'GRANT SELECT, INSERT, TRUNCATE ON audit_auditevent TO "{role}"')
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute(allow_truncate_sql())
        cursor.execute("TRUNCATE audit_auditevent")

    # then it is refused all the same
    assert AuditEvent.objects.count() == len(events)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_the_owner_asking_in_its_transaction_may_truncate(events):
    # given the table's owner
    class RolledBack(Exception):
        pass

    # when it asks for the TRUNCATE in its transaction
    with pytest.raises(RolledBack), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(allow_truncate_sql())
        cursor.execute("TRUNCATE audit_auditevent")
        emptied = AuditEvent.objects.count()
        raise RolledBack

    # then the table was emptied (and the setting ends with the transaction)
    assert emptied == 0
    assert AuditEvent.objects.count() == len(events)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [ALLOW_TRUNCATE_SETTING])
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.django_db(transaction=True)
def test_djangos_flush_still_empties_the_database_with_its_audit_trail(events):
    # given a committed audit trail (a transactional test: pytest-django flushes after it, the same way)

    # when the database is flushed
    call_command("flush", interactive=False, verbosity=0)

    # then the trail is empty too, and the database takes new events
    assert not AuditEvent.objects.exists()
    assert audit.record(action="system.job").pk is not None
