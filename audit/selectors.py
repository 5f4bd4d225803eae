from .models import AuditEvent, AuditEventQuerySet


def events_for_object(*, object_type: str, object_id) -> AuditEventQuerySet:
    return AuditEvent.objects.for_object(object_type, object_id)


def events_about(*, acting_for_type: str, acting_for_id) -> AuditEventQuerySet:
    """What was done for or looked at about a party: the citizen's own view of the log."""
    return AuditEvent.objects.filter(acting_for_type=acting_for_type, acting_for_id=str(acting_for_id))
