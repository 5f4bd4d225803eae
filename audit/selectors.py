from .models import AuditEvent, AuditEventQuerySet, Reader

__all__ = [
    "Reader",
    "events_about",
    "events_for_object",
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
