"""Reads of the agency editing pages: services in every state, and the preview of unpublished changes.

The pages and the editing API fetch the service through `service_get_editable` (permissions'
service_may_edit; "not found" alike for missing and not editable); nothing here is shown to the public.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.db.models import QuerySet

from ..models import Agency, Category, Channel, LifeEvent, Service, ServiceCentre
from .public import ChannelView, ServiceNotFound, channel_instructions, pick_language, valid_code

PREVIEW_FIELDS = {
    f.name for f in Service._meta.get_fields() if getattr(f, "concrete", False) and not f.is_relation
} - {"id", "code", "state", "version", "pending", "search_text", "search_vector", "fee_eur"}


def service_list_editable(*, agency_ids: Collection[int] | None) -> QuerySet[Service]:
    """Every state, for the editing pages: all services (agency_ids=None) or those of these agencies."""
    qs = Service.objects.select_related("agency")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs.order_by("code")


def service_get_any(*, code: str) -> Service:
    """Any state, for the editing pages (which check service_may_edit themselves)."""
    if not valid_code(code):
        raise ServiceNotFound(code)
    try:
        return Service.objects.select_related("agency", "category", "category__parent").get(code=code)
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


def service_get_editable(*, user, code: str) -> Service:
    """The service with this code, in any state, if `user` may edit it (permissions.service_may_edit);
    ServiceNotFound alike for a code nobody has and for another agency's service, draft or published,
    so that probing codes on the editing pages and API tells nothing."""
    # imported here: permissions reads catalogue.viewer, which imports this package
    from ..permissions import service_may_edit

    service = service_get_any(code=code)
    if not service_may_edit(user, service):
        raise ServiceNotFound(code)
    return service


def service_preview(*, service: Service, snapshot: dict) -> dict:
    """What the service page will show once `snapshot` is published: an unsaved copy and its parts."""
    copy = Service(pk=service.pk, code=service.code, state=service.state, version=service.version)
    for name in snapshot:
        if name in PREVIEW_FIELDS:
            setattr(copy, name, snapshot[name])
    copy.fee_eur = Decimal(snapshot["fee_eur"]) if snapshot.get("fee_eur") else None
    copy.agency = Agency.objects.filter(code=snapshot.get("agency")).first() or service.agency
    copy.category = (
        Category.objects.filter(slug=snapshot.get("category") or "").select_related("parent").first()
    )
    channel_map = {c.code: c for c in Channel.objects.filter(code__in=list(snapshot.get("channels", {})))}
    centre_codes = {
        code for info in snapshot.get("channels", {}).values() for code in info.get("centres", [])
    }
    centre_map = {c.code: c for c in ServiceCentre.objects.filter(code__in=centre_codes)}
    channels = [
        ChannelView(
            channel_map[code],
            channel_instructions(
                code, pick_language(info.get("instructions_lv", ""), info.get("instructions_en", ""))
            ),
            [centre_map[c] for c in info.get("centres", []) if c in centre_map],
        )
        for code, info in sorted(
            snapshot.get("channels", {}).items(), key=lambda item: channel_map[item[0]].pk
        )
        if code in channel_map
    ]
    return {
        "preview": copy,
        "channels": channels,
        "life_events": list(LifeEvent.objects.filter(code__in=snapshot.get("life_events", []))),
        "has_pending": service.pending is not None,
    }
