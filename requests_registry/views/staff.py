"""Agency staff's pages: the agency's cases, a case page and its actions, recording a consultation."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue_selectors
from catalogue.eforms import eform_display
from eaccount.selectors import centre_ids_for_user, person_get_by_personal_code
from kernel.constants import Channel
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import LookaheadPaginator
from knowledge_base import rules as kb_rules
from knowledge_base import selectors as kb_selectors
from knowledge_base.exceptions import ArticleNotFound, ScriptRunNotFound

from .. import rules, selectors, services
from ..case_panels import case_panels
from ..exceptions import CaseNotFound, CaseValidationError, InvalidTransition
from ..forms import (
    ConsultationForm,
    RequestInfoForm,
    ResultForm,
    StaffCaseFilterForm,
    StatusChangeForm,
)
from ._common import page_of, staff_actor, staff_required

# --- agency staff --------------------------------------------------------------------------------


def _require_agency_staff(request):
    if not selectors.staff_agency_ids(user=request.user):
        raise Http404


def _staff_case(request, number: str):
    try:
        return selectors.case_get_for_staff(user=request.user, number=number)
    except CaseNotFound:
        raise Http404 from None


@staff_required
def agency_case_list_view(request):
    _require_agency_staff(request)
    form = StaffCaseFilterForm(request.GET or None, services=selectors.staff_services_for(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list_for_staff(
        user=request.user,
        status=filters.get("status") or None,
        service_code=filters.get("service") or None,
        number=filters.get("number") or None,
        assigned_to_me=bool(filters.get("mine")),
    )
    page = page_of(request, selectors.case_rows(cases, for_staff=True), paginator_class=LookaheadPaginator)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "requests_registry/agency_case_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _agency_case_page(request, case, *, status_form=None, info_form=None, result_form=None, status=200):
    definition = case.service_version.eform if case.service_version_id else case.service.eform
    history, attachments = selectors.case_history_and_files(case=case, client_view=False)
    return render(
        request,
        "requests_registry/agency_case_detail.html",
        {
            "case": case,
            "history": history,
            "attachments": attachments,
            "rows": eform_display(definition=definition, cleaned=case.data),
            "status_form": status_form or StatusChangeForm(targets=rules.case_status_targets(case)),
            "info_form": info_form or RequestInfoForm(),
            "result_form": result_form or ResultForm(can_complete=rules.case_complete_allowed(case)),
            "can_change": bool(rules.case_status_targets(case)),
            "can_request_info": rules.case_request_info_allowed(case),
            "can_attach_result": rules.case_result_allowed(case),
            "can_take": rules.case_take_allowed(case, user=request.user),
            "open_duplicates": selectors.case_open_duplicates(case=case),
            "panels": case_panels(case=case, for_staff=True),
        },
        status=status,
    )


@staff_required
def agency_case_detail_view(request, number: str):
    case = _staff_case(request, number)
    services.case_read_record(actor=staff_actor(request), case=case)
    return _agency_case_page(request, case)


@staff_required
def agency_case_file_view(request, number: str, attachment_id: int):
    case = _staff_case(request, number)
    try:
        attachment = selectors.case_attachment_get(case=case, attachment_id=attachment_id, client_view=False)
    except CaseNotFound:
        raise Http404 from None
    services.case_read_record(actor=staff_actor(request), case=case, file_name=attachment.original_name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@require_POST
@staff_required
def agency_case_take_view(request, number: str):
    case = _staff_case(request, number)
    try:
        services.case_assign(actor=staff_actor(request), case=case, assignee=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _agency_case_page(request, case, status=error.status)
    messages.success(request, _("The case is now assigned to you."))
    return redirect("requests_registry:agency-case-detail", number=case.number)


@require_POST
@staff_required
def agency_case_status_view(request, number: str):
    case = _staff_case(request, number)
    form = StatusChangeForm(request.POST, targets=rules.case_status_targets(case))
    if form.is_valid():
        try:
            services.case_change_status(
                actor=staff_actor(request),
                case=case,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                visible_to_client=form.cleaned_data["visible_to_client"],
            )
        except DomainError as error:
            form.add_error("to", error.message)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("requests_registry:agency-case-detail", number=case.number)
    return _agency_case_page(request, case, status_form=form, status=400)


@require_POST
@staff_required
def agency_case_request_info_view(request, number: str):
    case = _staff_case(request, number)
    form = RequestInfoForm(request.POST)
    if form.is_valid():
        try:
            services.case_request_info(
                actor=staff_actor(request), case=case, question=form.cleaned_data["question"]
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The client has been asked for information."))
            return redirect("requests_registry:agency-case-detail", number=case.number)
    return _agency_case_page(request, case, info_form=form, status=400)


@require_POST
@staff_required
def agency_case_result_view(request, number: str):
    case = _staff_case(request, number)
    form = ResultForm(request.POST, request.FILES, can_complete=rules.case_complete_allowed(case))
    if form.is_valid():
        try:
            services.case_attach_result(
                actor=staff_actor(request),
                case=case,
                file=form.cleaned_data["document"],
                title=form.cleaned_data["title"],
                complete=form.cleaned_data.get("complete", False),
                note=form.cleaned_data["note"],
            )
        except CaseValidationError as error:
            for message in [m for messages_ in error.errors.values() for m in messages_]:
                form.add_error("document", message)
        except InvalidTransition as error:
            form.add_error("complete", error.message)
        except DomainError as error:
            form_add_domain_error(form, error)
            return _agency_case_page(request, case, result_form=form, status=error.status)
        else:
            messages.success(request, _("The result document has been delivered to the client."))
            return redirect("requests_registry:agency-case-detail", number=case.number)
    return _agency_case_page(request, case, result_form=form, status=400)


def _consulting_official(request):
    """Who records consultations: an agency's staff (about their agency's services) and a one-stop
    centre's specialists (about any published service, at their centre); 404 for anyone else."""
    agency_ids = selectors.staff_agency_ids(user=request.user)
    centre_ids = sorted(centre_ids_for_user(user=request.user))
    if not agency_ids and not centre_ids:
        raise Http404
    if agency_ids:
        return selectors.staff_services_for(user=request.user), None
    return catalogue_selectors.services_published_choices(), catalogue_selectors.centres(
        ids=centre_ids[:1]
    ).first()


def _knowledge_used(request, form, data):
    """The article and the call script run the form names, if the official may read them."""
    viewer = kb_rules.viewer_for(request.user)
    article = script_run = None
    if data.get("article"):
        try:
            article = kb_selectors.article_get_for(viewer=viewer, pk=data["article"])
        except ArticleNotFound:
            form.add_error("article", _("No article with this number that you may read."))
    if data.get("script_run"):
        try:
            script_run = kb_selectors.script_run_get_for(viewer=viewer, pk=data["script_run"])
        except ScriptRunNotFound:
            form.add_error("script_run", _("No call script run of yours with this number."))
    return article, script_run


@staff_required
def consultation_new_view(request):
    service_choices, centre = _consulting_official(request)
    initial = {
        key: request.GET.get(key)
        for key in ("article", "script_run", "personal_code")
        if request.GET.get(key)
    }
    if "script_run" in initial:
        initial["channel"] = Channel.PHONE
    form = ConsultationForm(request.POST or None, services=service_choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = None
        if data["personal_code"]:
            client = person_get_by_personal_code(personal_code=data["personal_code"])
            if client is None:
                form.add_error("personal_code", _("No person with this personal code was found."))
        service = next((s for s in service_choices if s.code == data["service"]), None)
        article, script_run = _knowledge_used(request, form, data)
        if not form.errors:
            try:
                services.consultation_register(
                    actor=staff_actor(
                        request, channel=data["channel"], centre_id=getattr(centre, "pk", None)
                    ),
                    channel=data["channel"],
                    topic=data["topic"],
                    duration_minutes=data["duration_minutes"],
                    outcome=data["outcome"],
                    service=service,
                    client=client,
                    anonymous_phone=data["anonymous_phone"],
                    note=data["note"],
                    agency=service.agency if service else None,
                    centre=centre,
                    article=article,
                    article_useful=data["article_useful"],
                    script_run=script_run,
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, _("The consultation has been recorded."))
                return redirect("requests_registry:consultation-new")
    recent = selectors.consultation_list_for_staff(user=request.user)[:10]
    return render(request, "requests_registry/consultation_form.html", {"form": form, "recent": recent})
