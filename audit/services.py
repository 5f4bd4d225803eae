"""The one function that records an audit event."""

from typing import Any

from django.db import models

from kernel.actors import Actor
from kernel.http import client_ip

from .models import AuditEvent

__all__ = ["client_ip", "record"]


def _label(obj: Any) -> str:
    return str(obj)[:200] if obj is not None else ""


def _type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def record(
    *,
    action: str,
    actor=None,
    acting_for: models.Model | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`: a kernel Actor, or a user, or None for the system), for whom,
    did what, to what. An Actor brings its client address and, for an API client, its name."""
    if target is not None:
        object_type, object_id = _type_of(target), target.pk
    ip, label = None, ""
    if isinstance(actor, Actor):
        ip = actor.ip
        label = actor.label
        actor = actor.user_or_none
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_label=_label(actor) if actor is not None else label[:200],
        acting_for_type=_type_of(acting_for) if acting_for is not None else "",
        acting_for_id=str(acting_for.pk) if acting_for is not None else "",
        acting_for_label=_label(acting_for),
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        reason=reason,
        ip_address=ip,
        data=data or {},
    )
