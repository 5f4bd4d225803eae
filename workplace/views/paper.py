"""An application the centre received on paper, by post, e-mail or phone, registered in the client's
visit: first the service, then its e-form, how it came and the scan."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from catalogue.eforms import EForm
from catalogue.selectors import service_version_current
from kernel.errors import DomainError
from requests_registry.exceptions import CaseValidationError

from .. import selectors, services
from ..forms import PaperReceivedForm, ServiceChoiceForm
from ._common import official_actor, official_required


def _eform(service, data=None, files=None):
    definition = service_version_current(service=service).eform if service.eform else []
    return EForm(data, files, definition=definition)


@official_required
def paper_case_view(request, pk: int):
    actor = official_actor(request)
    visit = selectors.visit_get_for_specialist(actor=actor, pk=pk)
    if not visit.is_open:
        raise Http404
    choices = selectors.services_for_paper()
    code = request.POST.get("service") or request.GET.get("service") or ""
    service = selectors.service_for_authorised_filing(code=code) if code else None
    context = {"visit": visit, "service_form": ServiceChoiceForm(initial={"service": code}, services=choices)}
    if service is None:
        if code:
            context["service_form"].add_error("service", _("Choose a service."))
        return render(request, "workplace/paper_case.html", context, status=400 if code else 200)
    context["service"] = service
    if request.method != "POST":
        context.update(eform=_eform(service), received_form=PaperReceivedForm())
        return render(request, "workplace/paper_case.html", context)
    eform = _eform(service, request.POST, request.FILES)
    received = PaperReceivedForm(request.POST, request.FILES)
    context.update(eform=eform, received_form=received)
    if received.is_valid():
        try:
            case = services.paper_case_register(
                actor=actor,
                visit=visit,
                service=service,
                channel=received.cleaned_data["channel"],
                data=request.POST,
                files=request.FILES,
                scan=received.cleaned_data["scan"],
            )
        except CaseValidationError as error:
            for name, errors in error.errors.items():
                target = received if name in received.fields else eform
                for message in errors:
                    target.add_error(name if name in target.fields else None, message)
        except DomainError as error:
            eform.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The application is registered: case %(number)s. It has reached %(agency)s.")
                % {"number": case.number, "agency": service.agency.name},
            )
            return redirect(visit)
    return render(request, "workplace/paper_case.html", context, status=400)
