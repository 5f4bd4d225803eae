"""The subject of an event: whose data it disclosed (reads), set by record() and record_reads(), found
by reads_of() newest first; the rows with a subject stay append-only like any other."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

import audit.services as audit
from audit import selectors
from audit.models import AppendOnlyError, AuditEvent, Reader
from kernel.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create(username="official")


@pytest.fixture
def subject():
    return get_user_model().objects.create(username="subject")


def test_record_keeps_the_subject_of_a_model_or_a_type_and_id(user, subject):
    first = audit.record(action="x.view", actor=user, subject=subject, data={"reader": Reader.OFFICIAL})
    second = audit.record(action="x.view", subject_type="eaccount.person", subject_id=7)
    plain = audit.record(action="x.change", actor=user)

    assert (first.subject_type, first.subject_id) == ("eaccount.user", str(subject.pk))
    assert (second.subject_type, second.subject_id) == ("eaccount.person", "7")
    assert (plain.subject_type, plain.subject_id) == ("", "")


def test_record_reads_appends_one_row_per_read_in_one_insert(user, subject, django_assert_num_queries):
    actor = Actor(system_label="API: back office (VSAA)", ip="192.0.2.9")
    reads = [
        {
            "subject": subject,
            "object_type": "x.case",
            "object_id": i,
            "data": {"reader": Reader.AGENCY_SYSTEM},
        }
        for i in range(3)
    ]
    with django_assert_num_queries(1):
        assert audit.record_reads(action="x.api_read", actor=actor, reads=reads) == 3
    assert audit.record_reads(action="x.api_read", actor=actor, reads=[]) == 0

    events = list(AuditEvent.objects.filter(action="x.api_read").order_by("object_id"))
    assert [e.object_id for e in events] == ["0", "1", "2"]
    assert {(e.actor_label, e.ip_address, e.subject_id) for e in events} == {
        ("API: back office (VSAA)", "192.0.2.9", str(subject.pk))
    }
    assert all(e.at is not None for e in events)


def test_reads_of_lists_the_readers_asked_for_newest_first(user, subject):
    official = audit.record(action="x.view", actor=user, subject=subject, data={"reader": Reader.OFFICIAL})
    system = audit.record(action="x.view", subject=subject, data={"reader": Reader.AGENCY_SYSTEM})
    own = audit.record(action="x.view", actor=subject, subject=subject, data={"reader": Reader.CLIENT})
    audit.record(action="x.change", actor=user, subject=subject)  # no reader: not a read
    audit.record(action="x.view", actor=user, subject=user, data={"reader": Reader.OFFICIAL})  # another's

    officials = selectors.reads_of(
        subject_type="eaccount.user", subject_id=subject.pk, readers=[Reader.OFFICIAL, Reader.AGENCY_SYSTEM]
    )
    mine = selectors.reads_of(subject_type="eaccount.user", subject_id=subject.pk, readers=[Reader.CLIENT])

    assert list(officials) == [system, official]
    assert list(mine) == [own]
    assert not selectors.reads_of(subject_type="", subject_id="", readers=[Reader.OFFICIAL]).exists()


def test_an_event_with_a_subject_is_append_only(user, subject):
    event = audit.record(action="x.view", actor=user, subject=subject)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(subject_id="0")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_the_database_refuses_to_rewrite_a_subject(user, subject):
    event = audit.record(action="x.view", actor=user, subject=subject)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET subject_id = '0' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.subject_id == str(subject.pk)
