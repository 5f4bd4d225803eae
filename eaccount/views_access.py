"""The "who looked at my data" page: the reads of the data of whom the user acts for now (eaccount.access_log)."""

from django.http import Http404
from django.shortcuts import render

from kernel.constants import Basis

from .access_log import AccessLogNotFound, access_log_for_actor
from .assurance import assurance_required
from .constants import AssuranceLevel


@assurance_required(AssuranceLevel.SUBSTANTIAL)
def access_log_view(request):
    """For the principal themselves and their legal representatives; "not found" for a delegate."""
    actor = request.actor
    try:
        log = access_log_for_actor(
            actor=actor, officials_page=request.GET.get("page"), own_page=request.GET.get("own_page")
        )
    except AccessLogNotFound:
        raise Http404 from None
    return render(
        request,
        "eaccount/access_log.html",
        {
            "principal": log.principal,
            "acting_for_self": actor.basis == Basis.SELF,
            "basis_label": Basis(actor.basis).label,
            "officials": log.officials,
            "own": log.own,
        },
    )
