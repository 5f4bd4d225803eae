"""What a version keeps and a diff compares: a service as JSON (a snapshot), and changes between two."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from ..models import Service

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
    "one_open_case_per_subject",
    "minor_may_be_client",
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
EDITABLE_FIELDS = tuple(name for name in SNAPSHOT_FIELDS if name != "code")
BOOLEAN_FIELDS = (
    "authorised_filing_allowed",
    "delegable",
    "one_open_case_per_subject",
    "minor_may_be_client",
    "internal",
    "municipality_specific",
    "facet_multichannel",
    "facet_territorial",
    "facet_all_groups",
    "facet_cross_border",
)
# Snapshot keys added after versions were first written, with the value every service had before:
# an older snapshot (a version's, or pending changes) reads as if it had them, so it differs from
# a new one only where a service really changed.
SNAPSHOT_DEFAULTS = {"one_open_case_per_subject": False, "minor_may_be_client": False}


# --- snapshots and diffs -------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return copy.deepcopy(value)


def service_snapshot(*, service: Service) -> dict[str, Any]:
    """Everything a citizen sees of a service, as JSON: what a version keeps and a diff compares."""
    snapshot: dict[str, Any] = {name: _json_value(getattr(service, name)) for name in SNAPSHOT_FIELDS}
    snapshot["fee_eur"] = None if service.fee_eur is None else f"{Decimal(service.fee_eur):.2f}"
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
    snapshot["channels"] = dict(sorted(channels.items()))
    return snapshot


def service_working_snapshot(*, service: Service) -> dict[str, Any]:
    """What the editor works on: the pending changes if there are any, else the service as it is."""
    if service.pending:
        return snapshot_with_defaults(service.pending)
    return service_snapshot(service=service)


def snapshot_with_defaults(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {**SNAPSHOT_DEFAULTS, **copy.deepcopy(snapshot)}


def _eform_summary(old: list, new: list) -> dict[str, Any]:
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
    """Field-level changes between two snapshots: {field: {"old": …, "new": …}} (e-form with a summary)."""
    old = snapshot_with_defaults(old) if old else {}
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
