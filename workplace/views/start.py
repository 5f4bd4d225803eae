"""The specialist's start page: today's work of the specialist and of their centre (or agency) —
clients being served, the centre's open cases by planned date, hand-overs waiting, escalations — and
"serve a client"."""

from __future__ import annotations

from django.shortcuts import render

from eaccount.selectors import agency_ids_for_user, centre_ids_for_user
from requests_registry import selectors as registry_selectors

from .. import selectors
from ._common import official_actor, official_required

START_LIST = 10


@official_required
def start_view(request):
    user = request.user
    centre_ids = centre_ids_for_user(user=user)
    agency_ids = agency_ids_for_user(user=user)
    context = {
        "centre_ids": centre_ids,
        "agency_ids": agency_ids,
        "open_visits": list(selectors.visits_open_of(actor=official_actor(request))[:START_LIST]),
        "centre_cases": list(registry_selectors.case_list_for_centre(centre_ids=centre_ids)[:START_LIST])
        if centre_ids
        else [],
        "my_cases": list(registry_selectors.case_list_for_staff(user=user, assigned_to_me=True)[:START_LIST])
        if agency_ids
        else [],
        "handovers_waiting": selectors.handovers_waiting_count(user=user),
        "supervisor": selectors.user_is_supervisor(user=user),
    }
    return render(request, "workplace/start.html", context)
