"""The one function that records an audit event (and its batch form, for a list of reads)."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from kernel.actors import Actor
from kernel.http import client_ip

from .models import AuditEvent, Reader

__all__ = ["Reader", "client_ip", "record", "record_reads"]


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
) -> AuditEvent:
    if target is not None:
        object_type, object_id = _type_of(target), target.pk
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
) -> AuditEvent:
    """Append one event: who (`actor`: a kernel Actor, or a user, or None for the system), for whom,
    did what, to what. An Actor brings its client address and, for an API client, its name.

    `subject` (or `subject_type` and `subject_id`): whose data the event disclosed, on reads — the
    rows of that person's "who looked at my data" page (`selectors.reads_of`); put the `Reader` in
    `data["reader"]` then."""
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
