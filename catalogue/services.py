"""Writes to the catalogue: services, their versions, their e-forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from .models import Service, ServiceVersion

SNAPSHOT_FIELDS = (
    "code",
    "title_lv",
    "title_en",
    "description_lv",
    "description_en",
    "audience",
    "payment_mode",
    "processing_days",
    "authorised_filing_allowed",
    "delegable",
    "internal",
    "municipality_specific",
    "facet_multichannel",
    "facet_multichannel_note",
    "facet_territorial",
    "facet_territorial_note",
    "facet_all_groups",
    "facet_all_groups_note",
    "facet_cross_border",
    "facet_cross_border_note",
    "legal_basis",
    "eform",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def service_snapshot(*, service: Service) -> dict[str, Any]:
    """Everything a citizen sees of a service, as JSON: what a version keeps and a diff compares."""
    snapshot: dict[str, Any] = {name: _json_value(getattr(service, name)) for name in SNAPSHOT_FIELDS}
    snapshot["fee_eur"] = None if service.fee_eur is None else f"{service.fee_eur:.2f}"
    snapshot["agency"] = service.agency.code
    snapshot["category"] = service.category.slug if service.category_id else None
    snapshot["life_events"] = sorted(service.life_events.values_list("code", flat=True))
    channels = {}
    for sc in service.service_channels.select_related("channel").prefetch_related("centres"):
        channels[sc.channel.code] = {
            "instructions_lv": sc.instructions_lv,
            "instructions_en": sc.instructions_en,
            "centres": sorted(c.code for c in sc.centres.all()),
        }
    snapshot["channels"] = channels
    return snapshot


def _eform_summary(old: list, new: list) -> dict[str, list[str]]:
    old_by_name = {f.get("name"): f for f in old or []}
    new_by_name = {f.get("name"): f for f in new or []}
    return {
        "added": [n for n in new_by_name if n not in old_by_name],
        "removed": [n for n in old_by_name if n not in new_by_name],
        "changed": [n for n in new_by_name if n in old_by_name and new_by_name[n] != old_by_name[n]],
        "reordered": [n for n in new_by_name if n in old_by_name]
        != [n for n in old_by_name if n in new_by_name],
    }


def service_snapshot_diff(*, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Field-level changes between two snapshots: {field: {"old": …, "new": …}} (eform with a summary)."""
    old = old or {}
    changes: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change: dict[str, Any] = {"old": before, "new": after}
        if key == "eform":
            change["summary"] = _eform_summary(before or [], after or [])
        changes[key] = change
    return changes


@transaction.atomic
def service_version_create(*, service: Service, user=None) -> ServiceVersion | None:
    """Record the service's current state as its next version, if it differs from the last one.

    Returns the new version, or None when nothing changed since the last version.
    """
    locked = Service.objects.select_for_update().get(pk=service.pk)
    last = ServiceVersion.objects.filter(service=locked).order_by("-number").first()
    snapshot = service_snapshot(service=locked)
    if last is not None and last.snapshot == snapshot:
        return None
    number = (last.number if last else 0) + 1
    version = ServiceVersion.objects.create(
        service=locked,
        number=number,
        snapshot=snapshot,
        eform=snapshot["eform"],
        changes=service_snapshot_diff(old=last.snapshot if last else None, new=snapshot),
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Service.objects.filter(pk=locked.pk).update(version=number)
    service.version = number
    return version
