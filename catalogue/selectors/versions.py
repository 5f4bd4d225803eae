"""Published versions of a service: the one a new case is filed under, and the history page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Service, ServiceVersion

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
        ServiceVersion.objects.filter(service=service).select_related("published_by").order_by("-number")
    )


def _field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name]())
    try:
        return str(Service._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - an old snapshot key
        return name


def _display(name: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "channels" and isinstance(value, dict):
        parts = []
        for code, info in value.items():
            centres = ", ".join(info.get("centres", []))
            parts.append(f"{code}" + (f" ({centres})" if centres else ""))
        return "; ".join(parts)
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
                    "label": _field_label(name),
                    "old": _display(name, change.get("old")),
                    "new": _display(name, change.get("new")),
                    "summary": _eform_summary_display(change.get("summary") or {}) if name == "eform" else "",
                }
            )
        rows.append({"version": version, "changes": changes, "first": version.number == 1})
    return rows
