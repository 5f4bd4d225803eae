from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit.services as audit
from catalogue import selectors as catalogue_selectors
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from . import rules, selectors, services
from .constants import Basis
from .context import acting_for_set, current_principal
from .forms import ActForForm, DelegationGrantForm


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/cases/"


@login_required
def act_for_view(request):
    principals = selectors.principals_for(user=request.user)
    current = current_principal(request)
    if request.method == "POST":
        form = ActForForm(request.POST, principals=principals)
        if form.is_valid():
            principal = selectors.principal_get(user=request.user, key=form.cleaned_data["principal"])
            if principal is not None:
                acting_for_set(request, principal)
                audit.record(
                    action="delegation.act_for",
                    actor=request.actor,
                    acting_for=principal.obj,
                    data={"principal": principal.key, "basis": principal.basis},
                )
                messages.success(request, _("You now act for %(name)s.") % {"name": principal.label})
                return redirect(_safe_next(request, form.cleaned_data["next"]))
    else:
        form = ActForForm(
            principals=principals,
            initial={"principal": current.key if current else "", "next": request.GET.get("next", "")},
        )
    return render(request, "delegation/act_for.html", {"form": form, "principals": principals})


@assurance_required(AssuranceLevel.SUBSTANTIAL)
def delegations_view(request):
    """Delegations the current principal gave (with a form to give one) and those the user received."""
    principal = current_principal(request)
    can_delegate = principal is not None and rules.delegation_grant_allowed(basis=principal.basis)
    service_choices = catalogue_selectors.services_delegable_offered()
    form = DelegationGrantForm(request.POST or None, services=service_choices)
    status = None  # 400 for any form error, unless a lookup limit answers 429
    if request.method == "POST" and can_delegate and form.is_valid():
        data = form.cleaned_data
        chosen = [s for s in service_choices if s.code in set(data["services"])]
        try:
            services.delegation_grant_to_person_named(
                actor=request.actor,
                principal=principal.obj,
                personal_code=data["personal_code"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                services=chosen,
                valid_until=data["valid_until"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
            if error.status == 429:
                status = 429
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    target = {"agent": "personal_code"}.get(name, name)
                    for message in errors:
                        form.add_error(target if target in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("The delegation has been given."))
            return redirect("delegation:delegations")
    given = selectors.delegations_given(principal=principal.obj) if can_delegate else []
    received = [p for p in selectors.principals_for(user=request.user) if p.basis == Basis.DELEGATION]
    return render(
        request,
        "delegation/delegations.html",
        {
            "principal": principal,
            "can_delegate": can_delegate,
            "form": form,
            "given": given,
            "received": received,
            "today": timezone.localdate(),
        },
        status=status or (400 if form.errors else 200),
    )


@require_POST
@assurance_required(AssuranceLevel.SUBSTANTIAL)
def delegation_revoke_view(request, pk: int):
    principal = current_principal(request)
    delegation = next((d for d in selectors.delegations_given(principal=principal.obj) if d.pk == pk), None)
    if delegation is None:
        raise Http404
    try:
        services.delegation_revoke(actor=request.actor, delegation=delegation)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("The delegation has been revoked."))
    return redirect("delegation:delegations")
