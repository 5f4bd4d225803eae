"""The authorised e-service, step by step (Reg. 401 point 22.1): one page shows every step, the done
ones with when, the current one with its form; each form posts its own action. A step posted out of
turn (an old tab, a typed address) is refused and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.eforms import EForm
from catalogue.selectors import service_version_current
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from requests_registry.exceptions import CaseValidationError, OpenCaseExists

from .. import pdf, rules, selectors, services
from ..constants import FilingStep
from ..exceptions import FilingRefused, FilingStepNotAllowed
from ..forms import FilingScanForm, FilingSignedForm, FilingStartForm, ResultNoticeForm
from ._common import official_actor, official_required
from .visits import _visit_context

STEP_ACTIONS = {
    "identify": FilingStep.SPECIALIST,
    "signed": FilingStep.AUTHORISATION,
    "form": FilingStep.FORM,
    "file": FilingStep.FILE,
    "planned": FilingStep.PLANNED_DATE,
    "notice": FilingStep.RESULT_NOTICE,
}


@official_required
@require_POST
def filing_start_view(request, pk: int):
    actor = official_actor(request)
    visit = selectors.visit_get_for_specialist(actor=actor, pk=pk)
    choices = selectors.services_for_authorised_filing()
    form = FilingStartForm(request.POST, services=choices)
    if form.is_valid():
        service = selectors.service_for_authorised_filing(code=form.cleaned_data["service"])
        if service is None:
            form.add_error("service", _("Choose a service."))
            return render(
                request, "workplace/visit.html", _visit_context(request, visit, filing_form=form), status=400
            )
        try:
            filing = services.filing_start(
                actor=actor, visit=visit, service=service, purpose=form.cleaned_data["purpose"]
            )
        except FilingRefused as error:
            form.add_error(None, error.message)
            return render(
                request, "workplace/visit.html", _visit_context(request, visit, filing_form=form), status=403
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            return redirect(filing)
    return render(
        request, "workplace/visit.html", _visit_context(request, visit, filing_form=form), status=400
    )


def _eform(filing, data=None):
    definition = service_version_current(service=filing.service).eform
    return EForm(data, definition=definition, initial=filing.form_data or None)


def _steps(filing) -> list[dict]:
    moments = {
        FilingStep.IDENTITY: filing.identity_checked_at,
        FilingStep.SPECIALIST: filing.specialist_identified_at,
        FilingStep.AUTHORISATION: filing.signed_at,
        FilingStep.FORM: filing.form_entered_at,
        FilingStep.FILE: filing.filed_at,
        FilingStep.PLANNED_DATE: filing.planned_told_at,
        FilingStep.RESULT_NOTICE: filing.result_notice_chosen_at,
    }
    return [
        {
            "number": step.value,
            "label": step.label,
            "done_at": moments[step],
            "current": filing.step == step.value,
        }
        for step in FilingStep
        if step != FilingStep.DONE
    ]


def _page(request, filing, *, status: int = 200, **forms) -> HttpResponse:
    actor = official_actor(request)
    step = filing.step
    context = {
        "filing": filing,
        "steps": _steps(filing),
        "step": step,
        "high": rules.filing_step_allowed(filing, step=step, actor=actor)
        if step != FilingStep.DONE
        else True,
        "relogin_url": f"{reverse('eaccount:login')}?level=high&next={filing.get_absolute_url()}",
        "printable": rules.filing_authorisation_printable(filing),
        "receipt": rules.filing_receipt_printable(filing),
        "signed_form": forms.get("signed_form") or FilingSignedForm(),
        "scan_form": forms.get("scan_form") or FilingScanForm(),
        "eform": forms.get("eform") or (_eform(filing) if step == FilingStep.FORM else None),
        "notice_form": forms.get("notice_form") or ResultNoticeForm(),
        "error": forms.get("error"),
        "rows": selectors.filing_form_rows(filing=filing) if step >= FilingStep.FILE else [],
    }
    return render(request, "workplace/filing.html", context, status=status)


@official_required
def filing_view(request, pk: int):
    actor = official_actor(request)
    filing = selectors.filing_get_for_specialist(actor=actor, pk=pk)
    if request.method != "POST":
        return _page(request, filing)
    action = request.POST.get("action", "")
    if action not in STEP_ACTIONS:
        return _page(request, filing, status=400, error=_("Unknown action."))
    try:
        return _step(request, actor, filing, action)
    except FilingStepNotAllowed as error:
        filing.refresh_from_db(fields=["case", "step"])
        if action == "file" and filing.case_id is not None:
            return redirect(filing)  # the second click of "file": it is filed, once
        return _page(request, filing, status=409, error=error.message)
    except FilingRefused as error:
        return _page(request, filing, status=403, error=error.message)


def _step(request, actor, filing, action: str) -> HttpResponse:
    post = request.POST
    if action == "identify":
        services.filing_specialist_identify(actor=actor, filing=filing)
    elif action == "signed":
        form = FilingSignedForm(post, request.FILES)
        form.is_valid()
        try:
            services.filing_signed(
                actor=actor,
                filing=filing,
                informed=bool(form.cleaned_data.get("informed")),
                signed=bool(form.cleaned_data.get("signed")),
                scan=form.cleaned_data.get("scan"),
            )
        except FilingStepNotAllowed:
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
            return _page(request, filing, status=400, signed_form=form)
    elif action == "form":
        try:
            services.filing_form_enter(actor=actor, filing=filing, data=post)
        except CaseValidationError as error:
            form = _eform(filing, post)
            form.apply_errors(error.errors)
            return _page(request, filing, status=400, eform=form)
    elif action == "file":
        try:
            filing = services.filing_file(actor=actor, filing=filing)
        except CaseValidationError:
            messages.error(
                request, _("The data no longer passes the e-form's checks: correct it and file again.")
            )
            return redirect(filing)
        except OpenCaseExists as error:
            return _page(request, filing, status=409, error=error.message)
        messages.success(request, _("Filed. Case number: %(number)s.") % {"number": filing.case.number})
    elif action == "planned":
        services.filing_planned_told(actor=actor, filing=filing)
    elif action == "notice":
        form = ResultNoticeForm(post)
        if not form.is_valid():
            return _page(request, filing, status=400, notice_form=form)
        try:
            services.filing_result_notice_choose(
                actor=actor,
                filing=filing,
                notice=form.cleaned_data["notice"],
                address=form.cleaned_data["address"],
            )
        except FilingStepNotAllowed:
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
            return _page(request, filing, status=400, notice_form=form)
        messages.success(request, _("The authorised e-service is complete."))
    return redirect(filing)


@official_required
def authorisation_pdf_view(request, pk: int):
    actor = official_actor(request)
    filing = selectors.filing_get_for_specialist(actor=actor, pk=pk)
    try:
        services.filing_authorisation_printed(actor=actor, filing=filing)
    except FilingStepNotAllowed as error:
        return _page(request, filing, status=409, error=error.message)
    response = HttpResponse(
        pdf.authorisation_pdf(filing=filing, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="pilnvara-{filing.number}.pdf"'
    return response


@official_required
@require_POST
def filing_scan_view(request, pk: int):
    actor = official_actor(request)
    filing = selectors.filing_get_for_specialist(actor=actor, pk=pk)
    form = FilingScanForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, filing, status=400, scan_form=form)
    try:
        services.filing_scan_attach(actor=actor, filing=filing, scan=form.cleaned_data["scan"])
    except FilingStepNotAllowed as error:
        return _page(request, filing, status=409, error=error.message)
    except DomainError as error:
        form_add_domain_error(form, error)
        return _page(request, filing, status=400, scan_form=form)
    messages.success(request, _("The scan of the signed authorisation is attached."))
    return redirect(filing)


@official_required
def filing_receipt_pdf_view(request, pk: int):
    filing = selectors.filing_get_for_specialist(actor=official_actor(request), pk=pk)
    if not rules.filing_receipt_printable(filing):
        return _page(
            request, filing, status=409, error=_("The receipt is printed once the e-service is filed.")
        )
    response = HttpResponse(pdf.receipt_pdf(filing=filing, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kvits-{filing.case.number}.pdf"'
    return response
