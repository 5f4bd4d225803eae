from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q

from .models import AuditEvent, AuditEventQuerySet, Reader

__all__ = [
    "Reader",
    "events_about",
    "events_for_object",
    "events_of_agencies",
    "events_of_type",
    "object_ids_with_action",
    "reads_of",
]


def events_for_object(*, object_type: str, object_id) -> AuditEventQuerySet:
    return AuditEvent.objects.for_object(object_type, object_id)


def events_of_type(*, object_type: str, actions=()) -> AuditEventQuerySet:
    """Events about objects of one type (narrow further by `object_id__in`), of these actions."""
    events = AuditEvent.objects.filter(object_type=object_type)
    return events.filter(action__in=list(actions)) if actions else events


def events_about(*, acting_for_type: str, acting_for_id) -> AuditEventQuerySet:
    """What was done for or looked at about a party: the citizen's own view of the log."""
    return AuditEvent.objects.filter(acting_for_type=acting_for_type, acting_for_id=str(acting_for_id))


def object_ids_with_action(*, action: str, object_type: str, object_ids) -> set[str]:
    """Which of these objects already have an event of this action (for work that must happen once)."""
    return set(
        AuditEvent.objects.filter(
            action=action, object_type=object_type, object_id__in=[str(i) for i in object_ids]
        ).values_list("object_id", flat=True)
    )


def reads_of(*, subject_type: str, subject_id, readers) -> AuditEventQuerySet:
    """The reads of one subject's data by these kinds of `Reader`, newest first (one query a page,
    on the subject index)."""
    if not subject_type or subject_id in (None, ""):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        subject_type=subject_type, subject_id=str(subject_id), data__reader__in=[str(r) for r in readers]
    ).order_by("-at", "-id")


def events_of_agencies(
    *,
    agency_ids: Iterable[int],
    since: datetime | None = None,
    before: datetime | None = None,
    actor_contains: str = "",
    action: str = "",
    about: str = "",
    after: tuple[datetime, int] | None = None,
) -> AuditEventQuerySet:
    """The events in these agencies' own log (`AuditEvent.agency_id`: their services, cases, staff),
    newest first: `agency_id IN (…)` ordered by `-at, -id`, on the (agency_id, at) index.

    Narrowed to `since <= at < before`, to an actor whose label contains `actor_contains`, to one
    `action`, to the events `about` one object — a case by its number (`data["number"]`) or a
    service, an agency or a centre by its code (`data["code"]`) — and, for the next page of a
    keyset, to the events after `after` = (at, id) of the last one shown. None for no agency."""
    ids = sorted({int(i) for i in agency_ids})
    if not ids:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(agency_id__in=ids)
    if since is not None:
        events = events.filter(at__gte=since)
    if before is not None:
        events = events.filter(at__lt=before)
    if actor_contains:
        events = events.filter(actor_label__icontains=actor_contains)
    if action:
        events = events.filter(action=action)
    if about:
        events = events.filter(Q(data__number=about) | Q(data__code=about))
    if after is not None:
        at, pk = after
        events = events.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    return events.order_by("-at", "-id")
