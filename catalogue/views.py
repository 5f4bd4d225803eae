"""Pages of the catalogue: public browse, search and service pages; the agency editing pages.

Thin: the rules are in selectors (who sees what), services (writes) and permissions (who edits).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kernel.collation import latvian
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import WindowCountPaginator

from . import rules, selectors, services
from .constants import ServiceState
from .exceptions import PublishNeedsSecondAdmin
from .forms import AgencySettingsForm, PublishConfirmForm, SearchForm, ServiceForm
from .models import Category, LifeEvent
from .permissions import (
    agencies_editable,
    agency_settings_may_change,
    service_may_edit,
    user_is_catalogue_admin,
    user_may_manage_catalogue,
)
from .selectors.editing import service_get_editable
from .service_page import service_page_panels
from .viewer import viewer_from_request

PAGE_SIZE = 20


def _page(request, qs):
    paginator = WindowCountPaginator(qs, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _query_string_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- public pages -------------------------------------------------------------------------------


def catalogue_index(request):
    """The catalogue: search, categories, life events; results when something is asked for."""
    form = SearchForm(request.GET or None)
    q = ""
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
    elif form.is_bound:
        q = (request.GET.get("q") or "")[:10_000]
    filters = {key: request.GET.get(key) or None for key in ("agency", "life_event", "channel", "audience")}
    searching = bool(q) or any(filters.values())
    context = {
        "form": form,
        "q": q,
        "searching": searching,
        # the browse lists only on the catalogue's front page, not under search results
        "categories": [] if searching else selectors.category_tree(),
        "life_events": [] if searching else selectors.life_event_list(),
        "query_string": _query_string_without_page(request),
    }
    if searching:
        context["page_obj"] = selectors.service_search_page(
            page_number=request.GET.get("page"),
            page_size=PAGE_SIZE,
            viewer=viewer_from_request(request),
            q=q,
            **filters,
        )
    return render(request, "catalogue/index.html", context)


def category_detail(request, slug: str):
    try:
        category = selectors.category_get(slug=slug)
    except Category.DoesNotExist:
        raise Http404 from None
    qs = selectors.service_search(viewer=viewer_from_request(request), category=category.slug)
    return render(
        request,
        "catalogue/category.html",
        {
            "category": category,
            "children": list(category.children.order_by(latvian("name_lv"))) if category.is_top else [],
            "page_obj": _page(request, qs),
            "query_string": _query_string_without_page(request),
        },
    )


def life_event_detail(request, code: str):
    try:
        event = selectors.life_event_get(code=code)
    except LifeEvent.DoesNotExist:
        raise Http404 from None
    qs = selectors.service_search(viewer=viewer_from_request(request), life_event=event.code)
    return render(
        request,
        "catalogue/life_event.html",
        {"event": event, "page_obj": _page(request, qs), "query_string": _query_string_without_page(request)},
    )


def service_detail(request, code: str):
    viewer = viewer_from_request(request)
    try:
        service = selectors.service_get_visible(code=code, viewer=viewer)
    except selectors.ServiceNotFound:
        raise Http404 from None
    if service.state == ServiceState.PUBLISHED:  # an editor's look at a draft is not a visit
        services.service_page_view_count(service=service)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "channels": selectors.service_page_channels(service=service),
            "life_events": list(service.life_events.all()),
            "may_edit": service_may_edit(request.user, service),
            "panels": service_page_panels(service=service, viewer=viewer),
        },
    )


# --- agency editing pages -----------------------------------------------------------------------


def _require_manager(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_may_manage_catalogue(request.user):
        raise PermissionDenied(_("Only agency administrators edit the catalogue."))
    return None


def say_saved(request, service) -> None:
    """A saved edit: a draft changes at once, a public service's changes wait for publishing."""
    if service.state == ServiceState.DRAFT:
        messages.success(request, _("The draft was saved."))
    else:
        messages.success(request, _("The changes were saved. They are public only once you publish them."))


def editable_service_or_404(request, code: str):
    """The service to edit, or 404: one answer for a missing code and for a service the user may not
    edit (another agency's, draft or published), so that the editing pages (these, the sections' and
    the e-form builder's) tell nothing by probing."""
    try:
        return service_get_editable(user=request.user, code=code)
    except selectors.ServiceNotFound:
        raise Http404 from None


def manage_list(request):
    if (response := _require_manager(request)) is not None:
        return response
    if user_is_catalogue_admin(request.user):
        qs = selectors.service_list_editable(agency_ids=None)
    else:
        qs = selectors.service_list_editable(
            agency_ids=agencies_editable(request.user).values_list("pk", flat=True)
        )
    return render(
        request,
        "catalogue/manage_list.html",
        {"page_obj": _page(request, qs), "query_string": _query_string_without_page(request)},
    )


def manage_create(request):
    if (response := _require_manager(request)) is not None:
        return response
    agencies = agencies_editable(request.user).order_by("code")
    form = ServiceForm(
        request.POST or None,
        agencies=agencies,
        creating=True,
        initial={
            "audience": "person",
            "payment_mode": "none",
            "processing_days": 10,
            "delegable": True,
            "facet_multichannel": True,
            "facet_territorial": True,
            "facet_all_groups": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=request.actor, data=form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The draft service was created. Preview it, then publish it."))
            return redirect("catalogue:manage-preview", code=service.code)
    return render(
        request,
        "catalogue/manage_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
def manage_edit(request, code: str):
    service = editable_service_or_404(request, code)
    agencies = agencies_editable(request.user).order_by("code")
    form = ServiceForm(
        request.POST or None,
        agencies=agencies,
        creating=False,
        initial=ServiceForm.initial_from_snapshot(services.service_working_snapshot(service=service)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=request.actor, service=service, data=form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            say_saved(request, service)
            return redirect("catalogue:manage-preview", code=service.code)
    return render(
        request,
        "catalogue/manage_form.html",
        {"form": form, "creating": False, "service": service},
        status=400 if form.errors else 200,
    )


@login_required
def manage_preview(request, code: str):
    service = editable_service_or_404(request, code)
    snapshot = services.service_working_snapshot(service=service)
    preview = selectors.service_preview(service=service, snapshot=snapshot)
    actions = {
        # the button opens the confirmation page (the diff, who prepared it, four eyes)
        "can_publish": rules.service_publish_allowed(service),
        "can_withdraw": rules.service_withdraw_allowed(service),
        "can_discard": rules.service_discard_allowed(service),
        "four_eyes": service.agency.four_eyes_publishing,
        "may_change_agency_settings": agency_settings_may_change(request.user, service.agency),
    }
    return render(request, "catalogue/manage_preview.html", {"service": service, **preview, **actions})


@login_required
@require_http_methods(["GET", "POST"])
def manage_publish(request, code: str):
    """GET: what publishing would change (the diff against the live version), who prepared it, and
    whether this user may publish it (four eyes). POST (with the `confirm` box ticked): publish."""
    service = editable_service_or_404(request, code)
    review = selectors.service_publish_review(service=service, user=request.user)
    if not review["publish_allowed"] and request.method == "POST":
        messages.error(request, _("The service is public and has no unpublished changes."))
        return redirect("catalogue:manage-preview", code=service.code)
    form = PublishConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        # a preparer's attempt under four eyes goes to the service too: it refuses it and audits it
        if form.is_valid() or not review["may_publish"]:
            try:
                version = services.service_publish(actor=request.actor, service=service)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("catalogue:manage-preview", code=service.code)
            except PublishNeedsSecondAdmin as error:
                form = PublishConfirmForm()
                review.update(may_publish=False, why_not=error.message, refused=True)
                status = 403
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("catalogue:manage-preview", code=service.code)
            else:
                if version is None:
                    messages.success(request, _("The service is published; its content did not change."))
                else:
                    messages.success(
                        request, _("Version %(number)s is published.") % {"number": version.number}
                    )
                return redirect("catalogue:manage-history", code=service.code)
        else:
            status = 422
    return render(
        request,
        "catalogue/manage_publish_confirm.html",
        {"service": service, "form": form, **review},
        status=status,
    )


@login_required
@require_POST
def manage_withdraw(request, code: str):
    """Any admin who may edit the service withdraws it, four eyes or not; the history says who."""
    service = editable_service_or_404(request, code)
    try:
        services.service_withdraw(actor=request.actor, service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The service was withdrawn: the public no longer sees it."))
    return redirect("catalogue:manage-preview", code=service.code)


@login_required
@require_POST
def manage_discard(request, code: str):
    service = editable_service_or_404(request, code)
    try:
        services.service_discard_pending(actor=request.actor, service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The unpublished changes were discarded."))
    return redirect("catalogue:manage-preview", code=service.code)


@login_required
def manage_history(request, code: str):
    """Every version (who prepared it, who approved it) and every withdrawal and republication (from
    the audit trail), newest first."""
    service = editable_service_or_404(request, code)
    return render(
        request,
        "catalogue/manage_history.html",
        {"service": service, "entries": selectors.service_history_entries(service=service)},
    )


# --- publishing with four eyes: the confirmation page, the history, the agency's settings ------------


@login_required
@require_http_methods(["GET", "POST"])
def agency_settings(request, agency_code: str):
    """The agency's catalogue settings (four eyes on publishing): its admins and platform admins;
    404 for anyone else, as for an agency that does not exist."""
    agency = selectors.agency_get_by_code(code=agency_code)
    if agency is None or not agency_settings_may_change(request.user, agency):
        raise Http404
    form = AgencySettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"four_eyes_publishing": agency.four_eyes_publishing},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_four_eyes_set(
                actor=request.actor, agency=agency, on=form.cleaned_data["four_eyes_publishing"]
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("catalogue:agency-settings", agency_code=agency.code)
    return render(
        request,
        "catalogue/agency_settings.html",
        {"agency": agency, "form": form},
        status=400 if form.errors else 200,
    )
