"""The one function that records an audit event (and its batch forms: a list of reads, and the rows of
a query, set-based)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.utils import timezone

from kernel.actors import Actor
from kernel.http import client_ip

from .models import AuditEvent, Reader

__all__ = ["Reader", "client_ip", "record", "record_reads", "record_select"]


def _label(obj: Any) -> str:
    return str(obj)[:200] if obj is not None else ""


def _type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def _who(actor) -> tuple[Any, str, str | None]:
    """(the user or None, the label when there is no user, the client address)."""
    ip, label = None, ""
    if isinstance(actor, Actor):
        ip = actor.ip
        label = actor.label
        actor = actor.user_or_none
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return actor, label, ip


def _event(
    *,
    action: str,
    actor=None,
    acting_for: models.Model | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: Any = "",
    reason: str = "",
    data: dict | None = None,
    agency_id: int | None = None,
) -> AuditEvent:
    if target is not None:
        object_type, object_id = _type_of(target), target.pk
        # a service, a case, a staff role (…) of an agency: the event is in that agency's log
        if agency_id is None:
            agency_id = getattr(target, "agency_id", None)
    if subject is not None:
        subject_type, subject_id = _type_of(subject), subject.pk
    user, label, ip = _who(actor)
    return AuditEvent(
        actor_id=getattr(user, "pk", None),
        actor_label=_label(user) if user is not None else label[:200],
        acting_for_type=_type_of(acting_for) if acting_for is not None else "",
        acting_for_id=str(acting_for.pk) if acting_for is not None else "",
        acting_for_label=_label(acting_for),
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        subject_type=subject_type if subject_id not in (None, "") else "",
        subject_id="" if subject_id in (None, "") else str(subject_id),
        reason=reason,
        ip_address=ip,
        data=data or {},
        agency_id=agency_id if isinstance(agency_id, int) else None,
    )


def record(
    *,
    action: str,
    actor=None,
    acting_for: models.Model | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: Any = "",
    reason: str = "",
    data: dict | None = None,
    agency_id: int | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`: a kernel Actor, or a user, or None for the system), for whom,
    did what, to what. An Actor brings its client address and, for an API client, its name.

    `subject` (or `subject_type` and `subject_id`): whose data the event disclosed, on reads — the
    rows of that person's "who looked at my data" page (`selectors.reads_of`); put the `Reader` in
    `data["reader"]` then. `agency_id`: the agency whose audit log shows the event (by default the
    target's `agency_id`, for a service, a case or a staff role)."""
    event = _event(
        action=action,
        actor=actor,
        acting_for=acting_for,
        target=target,
        object_type=object_type,
        object_id=object_id,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        data=data,
        agency_id=agency_id,
    )
    event.save()
    return event


def record_reads(*, action: str, actor=None, reads: Iterable[dict[str, Any]]) -> int:
    """Append one read event per item of `reads` in one INSERT (e.g. the cases of one API list page);
    each item holds record()'s keywords other than `action` and `actor`. Returns how many."""
    events = [_event(action=action, actor=actor, **read) for read in reads]
    if events:
        AuditEvent.objects.bulk_create(events)
    return len(events)


# the columns of an event a query may give (record_select); the rest are the action's and the actor's
SELECT_COLUMNS = (
    "object_type",
    "object_id",
    "acting_for_type",
    "acting_for_id",
    "acting_for_label",
    "subject_type",
    "subject_id",
    "reason",
    "data",
    "event_agency_id",  # the event's agency_id (named so as not to clash with a model's own field)
)
# where each of them goes (the same column, but for the agency)
SELECT_TARGETS = {name: name for name in SELECT_COLUMNS} | {"event_agency_id": "agency_id"}


def record_select(*, action: str, actor=None, rows: models.QuerySet) -> int:
    """Append one event per row of `rows` in one INSERT … SELECT (nothing goes through Python): for the
    jobs that act on many rows at once (e.g. the escalation of every late case).

    `rows` is a `.values()` queryset (of any app's selector) whose columns are all annotations named
    as the event's: `object_type`, `object_id`, `acting_for_type`, `acting_for_id` and
    `acting_for_label` (text), `subject_type`, `subject_id`, `reason` (text) and `data` (a JSON
    object, e.g. `JSONObject(...)`), `event_agency_id` (the agency whose log shows it); any left out
    is blank. Labels are cut to 200 characters. Every
    event has the same time, action and actor. Returns how many were written."""
    names = list(rows.query.annotation_select)
    unknown = set(names) - set(SELECT_COLUMNS)
    if rows.query.values_select or unknown or not names:
        raise ValueError(f"rows: annotations named {', '.join(SELECT_COLUMNS)} only (got {names})")
    user, label, ip = _who(actor)
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: nothing to select
        return 0
    table = connection.ops.quote_name(AuditEvent._meta.db_table)

    def column(name: str) -> str:
        if name not in names:
            return {"data": "'{}'", "event_agency_id": "NULL"}.get(name, "''")
        value = f"selected_rows.{connection.ops.quote_name(name)}"
        return f"SUBSTR({value}, 1, 200)" if name == "acting_for_label" else value

    inserted = [
        "at",
        "actor_id",
        "actor_label",
        "action",
        "ip_address",
        *(SELECT_TARGETS[n] for n in SELECT_COLUMNS),
    ]
    # identifiers are ours, quoted by connection.ops; the query's own SQL comes from the ORM with
    # its values as parameters, and so are the event's: nothing of the input is spliced in
    statement = (
        f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in inserted)}) "  # noqa: S608 - identifiers quoted by connection.ops, values are parameters
        f"SELECT %s, %s, %s, %s, %s, {', '.join(column(name) for name in SELECT_COLUMNS)} "
        f"FROM ({inner}) AS selected_rows"
    )
    head = [
        # as the ORM stores it (SQLite: naive UTC text), so that the trail's filters and order hold
        connection.ops.adapt_datetimefield_value(timezone.now()),
        getattr(user, "pk", None),
        _label(user) if user is not None else label[:200],
        action,
        ip,
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*head, *params])
        return cursor.rowcount
