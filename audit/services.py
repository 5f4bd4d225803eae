"""The one function that records an audit event."""

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models

from .models import AuditEvent


def _label(obj: Any) -> str:
    return str(obj)[:200] if obj is not None else ""


def _type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def client_ip(request) -> str | None:
    """The visitor's address. Behind TRUSTED_PROXY_COUNT reverse proxies, each appending to
    X-Forwarded-For, it is the entry that many from the right (entries further left are whatever the
    visitor sent); without the setting, or when that entry is missing or not an address, REMOTE_ADDR."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    actor=None,
    acting_for: models.Model | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    reason: str = "",
    request=None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`, a user or None for the system), for whom, did what, to what."""
    if target is not None:
        object_type, object_id = _type_of(target), target.pk
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_label=_label(actor),
        acting_for_type=_type_of(acting_for) if acting_for is not None else "",
        acting_for_id=str(acting_for.pk) if acting_for is not None else "",
        acting_for_label=_label(acting_for),
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        reason=reason,
        ip_address=client_ip(request),
        data=data or {},
    )
