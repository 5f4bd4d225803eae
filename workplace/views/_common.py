"""What the workplace's pages share: who may use them, and the official at work as an Actor."""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from eaccount.selectors import agency_ids_for_user, centre_ids_for_user
from kernel.constants import Channel

PAGE_SIZE = 20


def official_required(view):
    """Logged in (substantial at least) as a one-stop centre's specialist or an agency's staff; anyone
    else gets "not found", as for any page that is not theirs."""

    @assurance_required(AssuranceLevel.SUBSTANTIAL)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not centre_ids_for_user(user=request.user) and not agency_ids_for_user(user=request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def centre_id_of(request) -> int | None:
    """The one-stop centre the specialist works at this session (the first of theirs)."""
    centres = sorted(centre_ids_for_user(user=request.user))
    return centres[0] if centres else None


def official_actor(request, *, channel: str | None = None):
    """The logged-in official at work for nobody in particular: at their centre (channel vpvkac)
    when they are a centre's specialist, else on the agency channel."""
    centre_id = centre_id_of(request)
    if channel is None:
        channel = Channel.VPVKAC if centre_id else Channel.AGENCY
    return actor_at_work(request.actor, channel=channel, centre_id=centre_id)
