"""What the access-rights pages share: who may open them, the actor, the scope asked for."""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from eaccount.selectors import user_is_official
from kernel.actors import Actor

from .. import selectors

PAGE_SIZE = 25


def staff_required(view):
    """Logged in (substantial at least) with a staff role of any kind; anyone else: "not found"."""

    @assurance_required(AssuranceLevel.SUBSTANTIAL)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or user_is_official(user=request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def actor_of(request) -> Actor:
    """The official at work, for nobody in particular."""
    return actor_at_work(request.actor)


def scope_from(request, scope: selectors.Scope, value: str | None) -> selectors.Scope:
    """The part of the admin's scope that `value` ("agency:3", "centre:5", or empty: all) names."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit() or len(pk) > 12:
        return scope
    if kind == "agency":
        return selectors.scope_narrowed(scope, agency_id=int(pk))
    if kind == "centre":
        return selectors.scope_narrowed(scope, centre_id=int(pk))
    return scope
