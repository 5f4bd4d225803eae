from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

import audit.services as audit

from . import selectors
from .context import acting_for_set, current_principal
from .forms import ActForForm


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
                    actor=request.user,
                    acting_for=principal.obj,
                    request=request,
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
