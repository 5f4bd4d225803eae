"""The platform admin's agencies and one-stop centres (VPVKAC): lists, and the forms that add and
edit them — an agency with its bank details for payments (its payee), a centre with its municipality.

Only a platform admin (a superuser counts; logged in with substantial assurance at least); to anyone
else the pages are "not found", as any page that is not theirs. Thin: the catalogue's services and
payments' payee_set check, write and audit; `services.agency_save` writes an agency and its payee in one
transaction.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalogue import selectors as catalogue_selectors
from catalogue import services as catalogue_services
from catalogue.constants import AgencyKind
from catalogue.viewer import editor_facts
from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import WindowCountPaginator

from .. import services
from ..forms_organisations import AgencyForm, CentreForm

PAGE_SIZE = 25


def platform_admin_required(view):
    """Logged in (substantial at least) as a platform admin; anyone else gets "not found"."""

    @assurance_required(AssuranceLevel.SUBSTANTIAL)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not editor_facts(request.user).platform_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _actor(request):
    return actor_at_work(request.actor)


def _payee_of(agency):
    return getattr(agency, "payee", None)  # a reverse one-to-one: missing raises an AttributeError


# --- agencies --------------------------------------------------------------------------------------


@platform_admin_required
@require_GET
def agency_list_view(request):
    agencies = catalogue_selectors.agencies().select_related("payee").order_by("code")
    page = WindowCountPaginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(agency, _payee_of(agency)) for agency in page.object_list]
    return render(request, "access_rights/organisations/agency_list.html", {"page": page, "rows": rows})


def _agency_form_page(request, *, agency=None):
    payee = _payee_of(agency) if agency is not None else None
    status = 200
    if request.method == "POST":
        form = AgencyForm(request.POST, agency=agency, payee=payee)
        if form.is_valid():
            actor = _actor(request)
            try:
                saved = services.agency_save(
                    actor=actor, data=form.agency_data(), bank=form.payee_data(), agency=agency
                )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                if agency is None:
                    messages.success(request, _("The agency %(code)s was added.") % {"code": saved.code})
                else:
                    messages.success(request, _("The agency %(code)s was saved.") % {"code": saved.code})
                return redirect("access_rights:agency-list")
        else:
            status = 422
    else:
        form = AgencyForm(agency=agency, payee=payee)
    return render(
        request,
        "access_rights/organisations/agency_form.html",
        {"form": form, "agency": agency},
        status=status,
    )


@platform_admin_required
@require_http_methods(["GET", "POST"])
def agency_create_view(request):
    return _agency_form_page(request)


@platform_admin_required
@require_http_methods(["GET", "POST"])
def agency_edit_view(request, code):
    agency = catalogue_selectors.agency_get_by_code(code=code)
    if agency is None:
        raise Http404
    return _agency_form_page(request, agency=agency)


# --- one-stop centres ------------------------------------------------------------------------------


@platform_admin_required
@require_GET
def centre_list_view(request):
    centres = catalogue_selectors.centres().select_related("municipality").order_by("code")
    page = WindowCountPaginator(centres, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "access_rights/organisations/centre_list.html", {"page": page})


def _centre_form_page(request, *, centre=None):
    municipalities = list(catalogue_selectors.agencies(kind=AgencyKind.MUNICIPALITY).order_by("code"))
    status = 200
    if request.method == "POST":
        form = CentreForm(request.POST, municipalities=municipalities, centre=centre)
        if form.is_valid():
            actor = _actor(request)
            try:
                if centre is None:
                    saved = catalogue_services.centre_create(actor=actor, data=form.centre_data())
                else:
                    saved = catalogue_services.centre_update(
                        actor=actor, centre=centre, data=form.centre_data()
                    )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                if centre is None:
                    messages.success(
                        request, _("The one-stop centre %(code)s was added.") % {"code": saved.code}
                    )
                else:
                    messages.success(
                        request, _("The one-stop centre %(code)s was saved.") % {"code": saved.code}
                    )
                return redirect("access_rights:centre-list")
        else:
            status = 422
    else:
        form = CentreForm(municipalities=municipalities, centre=centre)
    return render(
        request,
        "access_rights/organisations/centre_form.html",
        {"form": form, "centre": centre},
        status=status,
    )


@platform_admin_required
@require_http_methods(["GET", "POST"])
def centre_create_view(request):
    return _centre_form_page(request)


@platform_admin_required
@require_http_methods(["GET", "POST"])
def centre_edit_view(request, code):
    centre = catalogue_selectors.centre_get_by_code(code=code)
    if centre is None:
        raise Http404
    return _centre_form_page(request, centre=centre)
