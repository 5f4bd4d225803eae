"""record_select(): one event per row of a query, in one INSERT … SELECT, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.utils import timezone

import audit.services as audit
from audit.models import AuditEvent
from kernel.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    model = get_user_model()
    return [model.objects.create(username=f"user{i}") for i in range(3)]


def _rows_of(users):
    return (
        get_user_model()
        .objects.filter(pk__in=[user.pk for user in users])
        .values(
            object_type=Value("eaccount.user"),
            object_id=Cast("pk", CharField()),
            acting_for_type=Value("eaccount.user"),
            acting_for_id=Cast("pk", CharField()),
            acting_for_label=Concat(Value("Client "), F("username")),
            data=JSONObject(username=F("username")),
        )
    )


def test_record_select_appends_one_event_per_row_in_one_statement(users, django_assert_num_queries):
    actor = Actor(system_label="beat: test job", ip="192.0.2.7")
    rows = _rows_of(users)
    str(rows.query)  # SQLite asks once per connection whether it has JSON: not the statement's cost

    with django_assert_num_queries(1):
        written = audit.record_select(action="x.job", actor=actor, rows=rows)

    assert written == 3
    events = sorted(AuditEvent.objects.filter(action="x.job"), key=lambda event: int(event.object_id))
    assert [(e.object_type, e.object_id) for e in events] == [("eaccount.user", str(u.pk)) for u in users]
    assert [e.acting_for_label for e in events] == [f"Client {u.username}" for u in users]
    assert [e.data for e in events] == [{"username": u.username} for u in users]
    assert {(e.actor_id, e.actor_label, e.ip_address) for e in events} == {
        (None, "beat: test job", "192.0.2.7")
    }


def test_record_select_leaves_the_columns_not_given_blank(users):
    rows = get_user_model().objects.filter(pk=users[0].pk).values(object_id=Cast("pk", CharField()))

    audit.record_select(action="x.job", rows=rows)

    event = AuditEvent.objects.get(action="x.job")
    assert (event.object_type, event.acting_for_id, event.subject_id, event.reason) == ("", "", "", "")
    assert event.data == {}
    assert event.actor_id is None


def test_record_select_keeps_the_time_as_the_orm_does(users):
    before = timezone.now() - timedelta(seconds=1)
    rows = get_user_model().objects.filter(pk=users[0].pk).values(object_id=Cast("pk", CharField()))

    audit.record_select(action="x.job", actor=users[1], rows=rows)

    assert AuditEvent.objects.filter(action="x.job", at__gte=before, at__lte=timezone.now()).count() == 1
    assert AuditEvent.objects.get(action="x.job").actor_id == users[1].pk


def test_record_select_cuts_the_label_to_200_characters(users):
    rows = (
        get_user_model()
        .objects.filter(pk=users[0].pk)
        .values(object_id=Cast("pk", CharField()), acting_for_label=Concat(Value("x" * 250), F("username")))
    )

    audit.record_select(action="x.job", rows=rows)

    assert AuditEvent.objects.get(action="x.job").acting_for_label == "x" * 200


def test_record_select_writes_nothing_for_no_rows(users):
    rows = _rows_of([]).filter(pk__in=[])

    written = audit.record_select(action="x.job", rows=rows)

    assert written == 0
    assert not AuditEvent.objects.filter(action="x.job").exists()


def test_record_select_refuses_columns_an_event_does_not_have(users):
    rows = get_user_model().objects.values(object_id=Cast("pk", CharField()), username_copy=F("username"))

    with pytest.raises(ValueError, match="annotations named"):
        audit.record_select(action="x.job", rows=rows)

    assert not AuditEvent.objects.filter(action="x.job").exists()


def test_record_select_refuses_plain_columns(users):
    rows = get_user_model().objects.values("username")

    with pytest.raises(ValueError, match="annotations named"):
        audit.record_select(action="x.job", rows=rows)

    assert not AuditEvent.objects.filter(action="x.job").exists()
