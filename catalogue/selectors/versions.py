"""Published versions of a service: the one a new case is filed under, and the history page."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

import audit.selectors as audit_selectors
from kernel.constants import Channel as KernelChannel

from .. import rules
from ..constants import Audience, PaymentMode
from ..exceptions import PublishNeedsSecondAdmin
from ..models import Service, ServiceVersion
from ..permissions import agency_settings_may_change
from ..services.snapshots import service_snapshot_diff, service_working_snapshot

EXTRA_LABELS = {
    "agency": lambda: _("Holder agency"),
    "category": lambda: _("Category"),
    "life_events": lambda: _("Life events"),
    "channels": lambda: _("Channels"),
    "fee_eur": lambda: _("Fee (EUR)"),
    "eform": lambda: _("E-form"),
    "code": lambda: _("Service code"),
    "legal_basis": lambda: _("Legal basis"),
}


def service_version_current(*, service: Service) -> ServiceVersion:
    """The version a new case is filed under: the service's last published version.

    Raises ServiceVersion.DoesNotExist when the service was never published.
    """
    version = ServiceVersion.objects.filter(service=service).order_by("-number").first()
    if version is None:
        raise ServiceVersion.DoesNotExist(f"service {service.code} has no published version")
    return version


def service_version_get(*, service: Service, number: int) -> ServiceVersion:
    return ServiceVersion.objects.get(service=service, number=number)


def service_versions(*, service: Service) -> list[ServiceVersion]:
    return list(
        ServiceVersion.objects.filter(service=service)
        .select_related("published_by__person")
        .order_by("-number")
    )


def field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name]())
    try:
        return capfirst(str(Service._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - an old snapshot key
        return name


CHOICE_FIELDS = {"audience": Audience, "payment_mode": PaymentMode}


def _choice_label(choices, value) -> str:
    """A stored code by its (translated) name; an unknown old code as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def change_display(name: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "channels" and isinstance(value, dict):
        parts = []
        for code, info in value.items():
            centres = ", ".join(info.get("centres", []))
            parts.append(_choice_label(KernelChannel, code) + (f" ({centres})" if centres else ""))
        return "; ".join(parts)
    if name in CHOICE_FIELDS:
        return _choice_label(CHOICE_FIELDS[name], value)
    if name == "legal_basis" and isinstance(value, list):
        return "; ".join(f"{i.get('title', '')} {i.get('url', '')}".strip() for i in value)
    if name == "eform" and isinstance(value, list):
        return ", ".join(f"{f.get('name')} ({f.get('type')})" for f in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _eform_summary_display(summary: dict) -> str:
    parts = []
    if summary.get("added"):
        parts.append(_("added: %(names)s") % {"names": ", ".join(summary["added"])})
    if summary.get("removed"):
        parts.append(_("removed: %(names)s") % {"names": ", ".join(summary["removed"])})
    if summary.get("changed"):
        parts.append(_("changed: %(names)s") % {"names": ", ".join(summary["changed"])})
    if summary.get("reordered"):
        parts.append(_("fields reordered"))
    return "; ".join(parts)


def service_versions_display(*, service: Service) -> list[dict]:
    """The history page: every version (newest first) with who, when and a row per changed field."""
    rows = []
    for version in service_versions(service=service):
        changes = []
        for name, change in (version.changes or {}).items():
            changes.append(
                {
                    "field": name,
                    "label": field_label(name),
                    "old": change_display(name, change.get("old")),
                    "new": change_display(name, change.get("new")),
                    "summary": _eform_summary_display(change.get("summary") or {}) if name == "eform" else "",
                }
            )
        rows.append({"version": version, "changes": changes, "first": version.number == 1})
    return rows


# --- publishing with four eyes: the confirmation page, the history -----------------------------------

HISTORY_ACTIONS = ("catalogue.service.publish", "catalogue.service.withdraw")


def service_publish_review(*, service: Service, user) -> dict:
    """The confirmation page's facts: the changes against the live (last published) version, field
    by field; who prepared them; whether four eyes apply and whether this user may publish."""
    try:
        live = service_version_current(service=service)
    except ServiceVersion.DoesNotExist:
        live = None
    new = service_working_snapshot(service=service)
    changes = service_snapshot_diff(old=live.snapshot if live else None, new=new)
    rows = []
    for name, change in changes.items():
        row = {"field": name, "label": field_label(name)}
        if name == "eform":
            row["eform"] = change.get("summary") or {}
        else:
            row["old"] = change_display(name, change.get("old"))
            row["new"] = change_display(name, change.get("new"))
        rows.append(row)
    four_eyes = service.agency.four_eyes_publishing
    publish_allowed = rules.service_publish_allowed(service)
    may_publish = publish_allowed and rules.service_publish_by_allowed(service, user, four_eyes=four_eyes)
    return {
        "publish_allowed": publish_allowed,
        "live": live,
        "changes": rows,
        "preparers": [p.get("name", "") for p in service.preparers or []],
        "four_eyes": four_eyes,
        "may_publish": may_publish,
        "why_not": "" if may_publish or not publish_allowed else PublishNeedsSecondAdmin.default_message,
        "refused": False,
        "may_change_agency_settings": agency_settings_may_change(user, service.agency),
    }


def service_history_entries(*, service: Service) -> list[dict]:
    """Versions and the audit trail's withdrawals and republications without changes, newest first."""
    entries = []
    for row in service_versions_display(service=service):
        version = row["version"]
        entries.append(
            {
                "kind": "version",
                "at": version.published_at,
                "row": row,
                "preparers": [p.get("name", "") for p in version.preparers or []],
                "approver": str(version.published_by) if version.published_by_id else "",
            }
        )
    events = audit_selectors.events_for_object(object_type="catalogue.service", object_id=service.pk)
    for event in events.filter(action__in=HISTORY_ACTIONS).order_by("-at", "-id"):
        data = event.data or {}
        if event.action == "catalogue.service.withdraw":
            entries.append({"kind": "withdrawal", "at": event.at, "who": event.actor_label, "data": data})
        elif data.get("new_version") is False:  # published again with no content change: no version
            entries.append(
                {
                    "kind": "republished",
                    "at": event.at,
                    "who": data.get("approved_by") or event.actor_label,
                    "preparers": data.get("prepared_by") or [],
                    "data": data,
                }
            )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries
