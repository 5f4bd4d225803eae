"""Hand-overs' pages: hand an item over (with a note), the receiver's queue (and what one handed over
lately), accept one. Thin: the selectors say who sees what, the service decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue_selectors
from kernel.collation import latvian
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import SafePaginator

from ..constants import HandoverTarget
from ..exceptions import HandoverItemNotFound, HandoverNotFound
from ..forms_handover import HandoverForm
from ..rules import handovers as rules
from ..selectors import handovers as selectors
from ..services import handovers as services
from ._common import PAGE_SIZE, official_actor, official_required


def _item(request):
    try:
        return selectors.handover_item_for_sender(
            user=request.user,
            case=request.GET.get("case"),
            consultation=request.GET.get("consultation"),
            visit=request.GET.get("visit"),
        )
    except HandoverItemNotFound:
        raise Http404 from None


def _form(request, item, data=None) -> HandoverForm:
    me = selectors.official_facts(user=request.user)
    agency_id = selectors.handover_item_agency_id(item)
    targets = rules.handover_targets_allowed(
        item_kind=selectors.handover_item_kind(item), item_agency_id=agency_id, centre_ids=me.centre_ids
    )
    own_centre = min(me.centre_ids) if me.centre_ids else None
    return HandoverForm(
        data,
        targets=targets,
        colleagues=selectors.handover_colleagues_for(user=request.user),
        centres=catalogue_selectors.centres().order_by(latvian("name_lv"), "pk"),
        agency_staff=selectors.handover_agency_staff(agency_id=agency_id, exclude_user=request.user),
        initial={"to_centre": own_centre, "target": HandoverTarget.COLLEAGUE},
    )


@official_required
def handover_new_view(request):
    item = _item(request)
    kind = selectors.handover_item_kind(item)
    form = _form(request, item, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = data["target"]
        to_user = {
            HandoverTarget.COLLEAGUE: data.get("to_user"),
            HandoverTarget.SECOND_LEVEL: data.get("second_level_user"),
        }.get(target)
        try:
            services.handover_create(
                actor=official_actor(request),
                item=item,
                target=target,
                to_user=to_user,
                to_centre=data.get("to_centre") if target == HandoverTarget.CENTRE else None,
                note=data["note"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Handed over. The receiver sees it in their queue."))
            return redirect("workplace:handovers")
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "workplace/handover_new.html",
        {"item": item, "kind": kind, "client": selectors.handover_item_client(item), "form": form},
        status=status,
    )


def _queue_page(request, *, status: int = 200):
    me = selectors.official_facts(user=request.user)
    facts = {"user_id": me.user_id, "centre_ids": me.centre_ids, "agency_ids": me.agency_ids}
    page = SafePaginator(selectors.handovers_waiting_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "handover": handover,
            "can_accept": rules.handover_accept_allowed(handover, **facts),
            "case_link": handover.case_id is not None and handover.case.agency_id in me.agency_ids,
        }
        for handover in page.object_list
    ]
    return render(
        request,
        "workplace/handover_queue.html",
        {"page": page, "rows": rows, "sent": selectors.handovers_sent_by(user=request.user)},
        status=status,
    )


@official_required
def handover_queue_view(request):
    return _queue_page(request)


@require_POST
@official_required
def handover_accept_view(request, pk: int):
    try:
        handover = selectors.handover_get_for_receiver(user=request.user, pk=pk)
    except HandoverNotFound:
        raise Http404 from None
    try:
        services.handover_accept(actor=official_actor(request), handover=handover)
    except HandoverNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return _queue_page(request, status=error.status)
    messages.success(request, _("Accepted: it is yours now."))
    return redirect("workplace:handovers")
