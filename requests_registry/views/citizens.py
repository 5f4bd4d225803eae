"""Citizens' pages: applying (e-form, check, submit), my cases, a case page and its actions, the consultations they were given."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.eforms import EForm, eform_display, eform_field_label
from catalogue.selectors import ServiceNotFound, service_get_published, service_version_current
from delegation.context import current_principal
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import CountedPaginator
from kernel.parties import is_person
from kernel.working_days import working_days_from

from .. import drafts, rules, selectors, services
from ..case_panels import case_panels
from ..constants import CaseStatus
from ..exceptions import (
    CaseNotFound,
    CaseValidationError,
    ConsultationNotFound,
    OpenCaseExists,
)
from ..forms import (
    AnswerForm,
    CaseFilterForm,
    FeedbackForm,
    WithdrawForm,
)
from ._common import citizen_required, page_of

# --- citizens: applying --------------------------------------------------------------------------


@citizen_required
def apply_view(request, code: str):
    try:
        service = service_get_published(code=code)
    except ServiceNotFound:
        raise Http404 from None
    if not service.is_e_service:
        raise Http404
    principal = current_principal(request)
    context = {
        "service": service,
        "principal": principal,
        "principal_covers": principal is not None and principal.covers(service),
        "principal_is_minor": principal is not None and is_person(principal.obj) and principal.obj.is_minor,
    }
    if (
        principal is None
        or not rules.service_serves_client(service=service, client=principal.obj)
        or not principal.covers(service)
    ):
        return render(request, "requests_registry/apply_wrong_principal.html", context, status=403)
    try:
        version = service_version_current(service=service)
    except ObjectDoesNotExist:  # never published
        raise Http404 from None
    definition = version.eform
    action = request.POST.get("action", "") if request.method == "POST" else ""

    if action == "submit":
        draft = drafts.draft_get(session=request.session, code=service.code)
        if not draft or draft["principal"] != principal.key:
            messages.error(request, _("Your application was not found any more; please fill it in again."))
            return redirect("requests_registry:apply", code=service.code)
        try:
            with drafts.draft_files(draft) as files:
                case = services.case_submit(
                    actor=request.actor,
                    service=service,
                    client=principal.obj,
                    data=draft["cleaned"],
                    files=files,
                )
        except CaseValidationError as error:
            form = EForm(initial=draft["cleaned"], definition=definition)
            form.apply_errors(error.errors)
            return render(request, "requests_registry/apply.html", {**context, "form": form})
        except OpenCaseExists as error:
            drafts.draft_discard(session=request.session, code=service.code)
            context["open_case_number"] = error.open_case_number
            context["refusal"] = error.message
            return render(request, "requests_registry/apply_refused.html", context, status=409)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("requests_registry:apply", code=service.code)
        except OSError:  # a draft file vanished from storage
            drafts.draft_discard(session=request.session, code=service.code)
            messages.error(request, _("Your application was not found any more; please fill it in again."))
            return redirect("requests_registry:apply", code=service.code)
        drafts.draft_discard(session=request.session, code=service.code)
        messages.success(
            request,
            _("Your application has been submitted. Case number: %(number)s.") % {"number": case.number},
        )
        return redirect(case.get_absolute_url())

    if action == "check":
        form = EForm(request.POST, request.FILES, definition=definition)
        _version, result = services.case_validate_form(
            service=service, data=request.POST, files=request.FILES
        )
        if not result.is_valid:
            form.apply_errors(result.errors)
            return render(request, "requests_registry/apply.html", {**context, "form": form})
        draft = drafts.draft_save(
            session=request.session,
            code=service.code,
            principal_key=principal.key,
            version=version.number,
            cleaned=result.cleaned,
            files=result.files,
        )
        return render(
            request,
            "requests_registry/apply_confirm.html",
            {
                **context,
                "rows": eform_display(definition=definition, cleaned=result.cleaned),
                "files": [
                    {"label": eform_field_label(f), "name": draft["files"][f["name"]]["name"]}
                    for f in definition
                    if f["name"] in draft["files"]
                ],
                "planned": working_days_from(timezone.localdate(), service.processing_days),
            },
        )

    initial = {}
    if action == "edit":
        draft = drafts.draft_get(session=request.session, code=service.code)
        initial = (draft or {}).get("cleaned", {})
    form = EForm(initial=initial, definition=definition)
    return render(request, "requests_registry/apply.html", {**context, "form": form})


# --- citizens: my cases and a case page ----------------------------------------------------------


@citizen_required
def my_cases_view(request):
    principal = current_principal(request)
    tally = selectors.case_tally_for_user(user=request.user, principal=principal)
    form = CaseFilterForm(request.GET or None, services=tally.services)
    filters = form.cleaned_data if form.is_valid() else {}
    status, service_code = filters.get("status") or None, filters.get("service") or None
    cases = selectors.case_list_for_user(
        user=request.user, principal=principal, status=status, service_code=service_code
    )
    total = tally.total(status=status, service_code=service_code)
    page = page_of(request, selectors.case_rows(cases), paginator_class=CountedPaginator, count=total)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "requests_registry/my_cases.html",
        {"principal": principal, "form": form, "page": page, "query": query.urlencode()},
    )


def _case_for_user(request, number: str):
    try:
        return selectors.case_get_for_user(user=request.user, number=number)
    except CaseNotFound:
        raise Http404 from None


def _case_page(request, case, *, answer_form=None, feedback_form=None, withdraw_form=None, status=200):
    history, visible_files = selectors.case_history_and_files(case=case, client_view=True)
    attachments = [a for a in visible_files if a.status_change_id is None]
    feedback = selectors.case_feedback(case=case) if case.status == CaseStatus.COMPLETED else None
    definition = case.service_version.eform if case.service_version_id else case.service.eform
    question = next((h for h in reversed(history) if h.to_status == CaseStatus.NEEDS_INFO), None)
    return render(
        request,
        "requests_registry/case_detail.html",
        {
            "case": case,
            "history": history,
            "attachments": attachments,
            "results": [a for a in visible_files if a.kind == "result"],
            "rows": eform_display(definition=definition, cleaned=case.data),
            "question": question if case.status == CaseStatus.NEEDS_INFO else None,
            "can_withdraw": rules.case_withdraw_allowed(case),
            "can_answer": rules.case_answer_allowed(case),
            "can_give_feedback": rules.case_feedback_allowed(case, feedback_given=feedback is not None),
            "feedback": feedback,
            "answer_form": answer_form or AnswerForm(),
            "feedback_form": feedback_form or FeedbackForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "panels": case_panels(case=case, for_staff=False),
        },
        status=status,
    )


@citizen_required
def case_detail_view(request, number: str):
    case = _case_for_user(request, number)
    services.case_read_by_client_record(actor=request.actor, case=case)
    return _case_page(request, case)


@citizen_required
def case_file_view(request, number: str, attachment_id: int):
    case = _case_for_user(request, number)
    try:
        attachment = selectors.case_attachment_get(case=case, attachment_id=attachment_id, client_view=True)
    except CaseNotFound:
        raise Http404 from None
    services.case_read_by_client_record(actor=request.actor, case=case, file_name=attachment.original_name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@require_POST
@citizen_required
def case_withdraw_view(request, number: str):
    case = _case_for_user(request, number)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, withdraw_form=form, status=400)
    try:
        services.case_withdraw(actor=request.actor, case=case, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The case has been withdrawn."))
    return redirect(case.get_absolute_url())


@require_POST
@citizen_required
def case_answer_view(request, number: str):
    case = _case_for_user(request, number)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_answer_info(
                actor=request.actor,
                case=case,
                answer=form.cleaned_data["answer"],
                file=form.cleaned_data["attachment"],
            )
        except CaseValidationError as error:
            form_add_domain_error(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(case.get_absolute_url())
        else:
            messages.success(request, _("Your answer has been sent to the agency."))
            return redirect(case.get_absolute_url())
    return _case_page(request, case, answer_form=form, status=400)


def _feedback_post(request, target, give):
    """Give the posted feedback on a case or consultation: (a redirect back to it, form), or (None, the
    form with its errors) to show on its page."""
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            give(
                actor=request.actor, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except CaseValidationError as error:
            form_add_domain_error(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(target.get_absolute_url()), form
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(target.get_absolute_url()), form
    return None, form


@require_POST
@citizen_required
def case_feedback_view(request, number: str):
    case = _case_for_user(request, number)
    response, form = _feedback_post(request, case, partial(services.feedback_give_for_case, case=case))
    return response or _case_page(request, case, feedback_form=form, status=400)


# --- citizens: consultations they were given, and their feedback --------------------------------


@citizen_required
def my_consultations_view(request):
    principal = current_principal(request)
    consultations = selectors.consultation_list_for_user(user=request.user, principal=principal)
    return render(
        request,
        "requests_registry/my_consultations.html",
        {"principal": principal, "page": page_of(request, consultations)},
    )


def _consultation_for_user(request, pk: int):
    try:
        return selectors.consultation_get_for_user(user=request.user, pk=pk)
    except ConsultationNotFound:
        raise Http404 from None


def _consultation_page(request, consultation, *, feedback_form=None, status=200):
    return render(
        request,
        "requests_registry/consultation_detail.html",
        {
            "consultation": consultation,
            "feedback_form": feedback_form or FeedbackForm(),
            "can_give_feedback": rules.consultation_feedback_allowed(
                consultation, feedback_given=consultation.feedback_rating is not None
            ),
        },
        status=status,
    )


@citizen_required
def consultation_detail_view(request, pk: int):
    return _consultation_page(request, _consultation_for_user(request, pk))


@require_POST
@citizen_required
def consultation_feedback_view(request, pk: int):
    consultation = _consultation_for_user(request, pk)
    give = partial(services.feedback_give_for_consultation, consultation=consultation)
    response, form = _feedback_post(request, consultation, give)
    return response or _consultation_page(request, consultation, feedback_form=form, status=400)
