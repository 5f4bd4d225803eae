"""The service editor in sections: an overview with the publishing checklist, and one short page per
section with its own form and save.

Thin: the forms (forms_sections) map a section to its snapshot keys; services.service_update_section
saves them (a draft at once, a public service as pending changes); selectors.checklist says what is
missing before publishing. A service the user may not edit is "not found" (404) on GET and POST
alike, as on the other editing pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from . import services
from .constants import Audience, PaymentMode, ServiceState
from .forms_sections import SECTION_FORMS, SECTION_TITLES, BasicsForm
from .models import Service
from .permissions import agencies_editable, user_is_catalogue_admin
from .selectors import checklist
from .views import editable_service_or_404, say_saved

SECTION_TEMPLATES = {
    checklist.CHANNELS: "catalogue/editor/section_channels.html",
    checklist.LEGAL: "catalogue/editor/section_legal.html",
    checklist.EFORM: "catalogue/editor/section_eform.html",
}
DEFAULT_SECTION_TEMPLATE = "catalogue/editor/section.html"


def _summary(section: str, snapshot: dict[str, Any]) -> str:
    """A few words of what a section holds now, for the overview (from the snapshot: no queries)."""
    if section == checklist.BASICS:
        return snapshot.get("title_lv") or ""
    if section == checklist.CHANNELS:
        n = len(snapshot.get("channels") or {})
        return ngettext("%(n)s channel", "%(n)s channels", n) % {"n": n}
    if section == checklist.FEES:
        if snapshot.get("payment_mode", PaymentMode.NONE) == PaymentMode.NONE:
            return str(PaymentMode.NONE.label)
        return _("%(fee)s EUR, %(mode)s") % {
            "fee": snapshot.get("fee_eur") or "0.00",
            "mode": str(PaymentMode(snapshot["payment_mode"]).label).lower(),
        }
    if section == checklist.PROCESSING:
        n = snapshot.get("processing_days") or 0
        return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}
    if section == checklist.AUDIENCE:
        audience = snapshot.get("audience")
        return str(Audience(audience).label) if audience in Audience.values else ""
    if section == checklist.ACCESSIBILITY:
        n = sum(
            1
            for key in ("facet_multichannel", "facet_territorial", "facet_all_groups", "facet_cross_border")
            if snapshot.get(key)
        )
        return _("%(n)s of 4 facets") % {"n": n}
    if section == checklist.LEGAL:
        acts, events = len(snapshot.get("legal_basis") or []), len(snapshot.get("life_events") or [])
        return "; ".join(
            (
                ngettext("%(n)s legal act", "%(n)s legal acts", acts) % {"n": acts},
                ngettext("%(n)s life event", "%(n)s life events", events) % {"n": events},
            )
        )
    n = len(snapshot.get("eform") or [])
    return ngettext("%(n)s field", "%(n)s fields", n) % {"n": n} if n else _("no e-form")


def _editor_context(service: Service, snapshot: dict[str, Any], current: str | None = None) -> dict:
    """What every editor page shows: the sections with their state, and the checklist."""
    items = checklist.service_publish_checklist(snapshot)
    grouped = checklist.checklist_by_section(items)
    sections = [
        {
            "code": section,
            "title": SECTION_TITLES[section],
            "url": reverse("catalogue:edit-section", kwargs={"code": service.code, "section": section}),
            "missing": grouped[section],
            "complete": not grouped[section],
            "current": section == current,
            "summary": _summary(section, snapshot),
        }
        for section in checklist.SECTIONS
    ]
    titles = dict(SECTION_TITLES)
    return {
        "service": service,
        "working_title": snapshot.get("title_lv") or service.title_lv,
        "is_public": service.state != ServiceState.DRAFT,
        "has_pending": service.pending is not None,
        "sections": sections,
        "checklist": [
            {
                "section": item.section,
                "section_title": titles[item.section],
                "message": item.message,
                "rule": item.rule,
            }
            for item in items
        ],
    }


@login_required
@require_safe
def edit_overview(request, code: str):
    service = editable_service_or_404(request, code)
    snapshot = services.service_working_snapshot(service=service)
    return render(request, "catalogue/editor/overview.html", _editor_context(service, snapshot))


def _section_form(section: str, request, snapshot: dict[str, Any]):
    data = request.POST if request.method == "POST" else None
    if section == checklist.BASICS:
        agencies = agencies_editable(request.user) if user_is_catalogue_admin(request.user) else None
        return BasicsForm(data, snapshot=snapshot, agencies=agencies)
    return SECTION_FORMS[section](data, snapshot=snapshot)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_section(request, code: str, section: str):
    service = editable_service_or_404(request, code)
    if section not in checklist.SECTIONS:
        raise Http404
    snapshot = services.service_working_snapshot(service=service)
    context = _editor_context(service, snapshot, current=section)
    context["section"] = section
    context["section_title"] = SECTION_TITLES[section]
    template = SECTION_TEMPLATES.get(section, DEFAULT_SECTION_TEMPLATE)
    if section == checklist.EFORM:  # a summary: the builder edits it
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET", "HEAD"])
        context["eform"] = snapshot.get("eform") or []
        context["eform_builder_url"] = reverse("catalogue:eform-builder", kwargs={"code": service.code})
        return render(request, template, context)

    form = _section_form(section, request, snapshot)
    context["form"] = form
    if request.method != "POST":
        return render(request, template, context)
    if form.is_valid():
        try:
            services.service_update_section(actor=request.actor, service=service, fields=form.to_fields())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            say_saved(request, service)
            return redirect("catalogue:edit-section", code=service.code, section=section)
    return render(request, template, context, status=422)
