"""The dashboard page: thin; `portal.dashboard.dashboard_for` composes what it shows."""

from django.shortcuts import render

from delegation.context import current_principal
from eaccount.assurance import assurance_required
from kernel.constants import AssuranceLevel, Basis

from .dashboard import dashboard_for


@assurance_required(AssuranceLevel.SUBSTANTIAL)  # the same guard as the citizens' case pages
def dashboard_view(request):
    principal = current_principal(request)
    dashboard = dashboard_for(actor=request.actor, principal=principal)
    return render(
        request,
        "portal/dashboard.html",
        {
            "dashboard": dashboard,
            "acting_for_self": principal is None or principal.basis == Basis.SELF,
            "limited_to_services": principal is not None and principal.basis == Basis.DELEGATION,
        },
    )
