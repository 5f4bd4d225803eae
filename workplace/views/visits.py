"""Serving a client: start a visit (who, and how their identity was checked, before anything is shown),
the visit's page, its end, and the 360 profile opened with a purpose (the client sees the look)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eaccount.selectors import (
    agency_ids_for_user,
)
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from .. import selectors, services
from ..forms import AgencyProfileForm, ClientKind, FilingStartForm, ProfilePurposeForm, VisitStartForm
from ._common import centre_id_of, official_actor, official_required

PROFILE_SESSION_KEY = "workplace.profile_visits"


def _client_find(form) -> object | None:
    """The client the form names; an error on the form when there is none."""
    client = selectors.client_get_by_code(
        organisation=form.cleaned_data["kind"] == ClientKind.ORGANISATION, code=form.cleaned_data["code"]
    )
    if client is None:
        form.add_error("code", _("No person or organisation with this code was found."))
    return client


def _centre_required(request) -> None:
    if centre_id_of(request) is None:
        raise Http404


@official_required
def visit_new_view(request):
    _centre_required(request)
    form = VisitStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = _client_find(form)
        if client is not None:
            data = form.cleaned_data
            try:
                visit = services.visit_start(
                    actor=official_actor(request, channel=data["channel"]),
                    client=client,
                    channel=data["channel"],
                    identity_check=data["identity_check"],
                    identity_document=data["identity_document"],
                    identity_document_number=data["identity_document_number"],
                    identity_note=data["identity_note"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                return redirect(visit)
    status = 400 if form.errors else 200
    return render(request, "workplace/visit_new.html", {"form": form}, status=status)


def _visit_context(request, visit, **extra) -> dict:
    return {
        "visit": visit,
        "filings": list(selectors.filings_of_visit(visit=visit)),
        "filing_form": extra.pop("filing_form", None)
        or FilingStartForm(services=selectors.services_for_authorised_filing()),
        "purpose_form": extra.pop("purpose_form", None) or ProfilePurposeForm(),
        "profile_open": visit.pk in request.session.get(PROFILE_SESSION_KEY, []),
        **extra,
    }


@official_required
def visit_view(request, pk: int):
    visit = selectors.visit_get_for_specialist(actor=official_actor(request), pk=pk)
    return render(request, "workplace/visit.html", _visit_context(request, visit))


@official_required
@require_POST
def visit_end_view(request, pk: int):
    actor = official_actor(request)
    visit = selectors.visit_get_for_specialist(actor=actor, pk=pk)
    if visit.is_open:
        services.visit_end(actor=actor, visit=visit)
        messages.success(request, _("The client's visit has ended."))
    opened = [v for v in request.session.get(PROFILE_SESSION_KEY, []) if v != visit.pk]
    request.session[PROFILE_SESSION_KEY] = opened
    return redirect("workplace:start")


@official_required
def profile_view(request, pk: int):
    """GET: the profile when its purpose was given in this (open) visit, else the purpose form; POST:
    the purpose, kept in the audit trail, then the profile."""
    actor = official_actor(request)
    visit = selectors.visit_get_for_specialist(actor=actor, pk=pk)
    if not visit.is_open:
        raise Http404
    opened = request.session.get(PROFILE_SESSION_KEY, [])
    if request.method == "POST":
        form = ProfilePurposeForm(request.POST)
        if form.is_valid():
            try:
                services.profile_look_record(
                    actor=actor,
                    client=visit.client,
                    purpose=form.cleaned_data["purpose"],
                    purpose_text=form.cleaned_data["purpose_text"],
                    visit=visit,
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                request.session[PROFILE_SESSION_KEY] = [*opened[-19:], visit.pk]
                return redirect("workplace:profile", pk=visit.pk)
        return render(
            request, "workplace/visit.html", _visit_context(request, visit, purpose_form=form), status=400
        )
    if visit.pk not in opened:
        return redirect(f"{visit.get_absolute_url()}#profile")
    profile = selectors.client_profile(party=visit.client)
    return render(
        request,
        "workplace/profile.html",
        {
            "visit": visit,
            "client": visit.client,
            "profile": profile,
            "filings": selectors.filings_of_client(person=visit.client_person) if visit.client_person else [],
            "links_to_cases": False,
        },
    )


@official_required
def agency_profile_view(request):
    """An agency's staff look up a client: the same profile, limited to their agencies' services,
    opened with a purpose each time (nothing is kept between two looks)."""
    agency_ids = agency_ids_for_user(user=request.user)
    if not agency_ids:
        raise Http404
    form = AgencyProfileForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        client = _client_find(form)
        if client is not None:
            try:
                services.profile_look_record(
                    actor=official_actor(request),
                    client=client,
                    purpose=form.cleaned_data["purpose"],
                    purpose_text=form.cleaned_data["purpose_text"],
                    agency_ids=agency_ids,
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                context.update(
                    client=client,
                    profile=selectors.client_profile(party=client, agency_ids=agency_ids),
                    links_to_cases=True,
                )
    status = 400 if form.errors else 200
    return render(request, "workplace/agency_profile.html", context, status=status)
