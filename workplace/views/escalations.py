"""The supervisors' escalations: the list of open ones (late cases, unresolved consultations) with a
reassign form on each, and the reassignment. Supervisors are the centres' and agencies' admins; for
anyone else the pages are "not found". Thin: the selectors say who sees what, the service decides."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import WindowCountPaginator

from ..exceptions import EscalationNotFound
from ..selectors import escalations as selectors
from ..services import escalations as services
from ._common import PAGE_SIZE, official_actor


def supervisor_required(view):
    """Logged in (substantial at least) as a centre's or an agency's admin now; anyone else gets "not
    found", as for any page that is not theirs."""

    @assurance_required(AssuranceLevel.SUBSTANTIAL)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.user_is_supervisor(user=request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class ReassignForm(forms.Form):
    """Whom to hand the escalated item to: one of `assignees` (the escalation's agency staff and
    centre specialists, read once for the whole page)."""

    assignee = forms.TypedChoiceField(label=gettext_lazy("Reassign to"), coerce=int)
    page = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, escalation, assignees, **kwargs):
        kwargs.setdefault("auto_id", f"id_escalation_{escalation.pk}_%s")
        super().__init__(*args, **kwargs)
        self.escalation_pk = escalation.pk
        self.assignees = {user.pk: user for user in assignees}
        self.fields["assignee"].choices = [("", _("Choose a person"))] + [
            (user.pk, str(user)) for user in assignees
        ]


@dataclass(frozen=True, slots=True)
class Row:
    escalation: Any
    item: Any  # the case or the consultation
    is_case: bool
    form: ReassignForm


def _page_number(value) -> str:
    return str(value) if value not in (None, "") else "1"


def _render(request, *, page_number, bound: ReassignForm | None = None, status: int = 200):
    page = WindowCountPaginator(selectors.escalations_for_supervisor(user=request.user), PAGE_SIZE).get_page(
        page_number
    )
    assignees = selectors.escalation_assignees_for(escalations=page.object_list)
    rows = []
    for escalation in page.object_list:
        form = (
            bound
            if bound is not None and bound.escalation_pk == escalation.pk
            else ReassignForm(
                escalation=escalation, assignees=assignees[escalation.pk], initial={"page": page.number}
            )
        )
        item = escalation.case if escalation.case_id else escalation.consultation
        rows.append(Row(escalation=escalation, item=item, is_case=bool(escalation.case_id), form=form))
    if bound is not None and all(row.form is not bound for row in rows):  # e.g. reassigned meanwhile
        for error in bound.errors.get("__all__", []) + bound.errors.get("assignee", []):
            messages.error(request, error)
    return render(request, "workplace/escalations.html", {"page": page, "rows": rows}, status=status)


@supervisor_required
@require_GET
def escalation_list_view(request):
    return _render(request, page_number=request.GET.get("page"))


@supervisor_required
@require_POST
def escalation_reassign_view(request, pk: int):
    try:
        escalation = selectors.escalation_get_for_supervisor(user=request.user, pk=pk)
    except EscalationNotFound:
        raise Http404 from None
    form = ReassignForm(
        request.POST, escalation=escalation, assignees=selectors.escalation_assignees(escalation=escalation)
    )
    page_number = _page_number(request.POST.get("page"))
    if form.is_valid():
        try:
            services.escalation_reassign(
                actor=official_actor(request),
                escalation=escalation,
                assignee=form.assignees.get(form.cleaned_data["assignee"]),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
            return _render(request, page_number=page_number, bound=form, status=error.status)
        messages.success(request, _("The escalation was reassigned."))
        return redirect(f"{reverse('workplace:escalations')}?page={page_number}")
    return _render(request, page_number=page_number, bound=form, status=422)
