"""The audit trail is append-only: one function records, nothing updates or deletes."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

import audit.services as audit
from audit import selectors
from audit.models import AppendOnlyError, AuditEvent
from kernel.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create(username="auditor", first_name="A", last_name="B")


def test_record_appends_an_event_with_who_what_for_whom_and_where(user):
    # given a staff action on an object, for a principal, from an address
    other = get_user_model().objects.create(username="principal")
    # when it is recorded
    event = audit.record(
        action="case.view",
        actor=Actor(user=user, ip="192.0.2.7"),
        acting_for=other,
        target=other,
        reason="phone call",
        data={"fields": ["name"]},
    )
    # then one event holds all of it
    assert AuditEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.actor_id == user.pk
    assert event.actor_label == str(user)
    assert (event.acting_for_type, event.acting_for_id) == ("eaccount.user", str(other.pk))
    assert (event.object_type, event.object_id) == ("eaccount.user", str(other.pk))
    assert event.reason == "phone call"
    assert event.ip_address == "192.0.2.7"
    assert event.data == {"fields": ["name"]}
    assert event.at is not None
    assert list(selectors.events_about(acting_for_type="eaccount.user", acting_for_id=other.pk)) == [event]
    assert list(selectors.events_for_object(object_type="eaccount.user", object_id=other.pk)) == [event]


def test_system_and_anonymous_actors_are_recorded_without_an_id():
    from django.contrib.auth.models import AnonymousUser

    assert audit.record(action="system.job").actor_id is None
    event = audit.record(action="anon.look", actor=AnonymousUser())
    assert event.actor_id is None and event.actor_label == ""


def test_events_are_appended_in_order(user):
    first = audit.record(action="a", actor=user)
    second = audit.record(action="b", actor=user)
    assert list(AuditEvent.objects.all()) == [second, first]  # newest first


def test_saving_an_existing_event_is_refused(user):
    event = audit.record(action="auth.login", actor=user)
    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.action == "auth.login"


def test_deleting_an_event_is_refused(user):
    event = audit.record(action="auth.login", actor=user)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_update_is_refused(user):
    event = audit.record(action="auth.login", actor=user)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    event.refresh_from_db()
    assert event.action == "auth.login"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(user, sql):
    # given an event
    event = audit.record(action="auth.login", actor=user)
    # when someone goes around the ORM with raw SQL
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    # then the row is untouched
    event.refresh_from_db()
    assert event.action == "auth.login"


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "203.0.113.5", "192.0.2.7"),  # no trusted proxy: the header is the visitor's word only
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # a forged entry on the left is ignored
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (1, "", "192.0.2.7"),  # the proxy was bypassed
        (2, "203.0.113.5", "192.0.2.7"),  # fewer entries than proxies
        (1, "not-an-address", "192.0.2.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert audit.client_ip(request) == expected
