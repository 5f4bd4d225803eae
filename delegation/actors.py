"""The Actor of a page request: the logged-in user, whom they act for now and on what basis.

Built once per request by `ActorMiddleware` (as `request.actor`, lazily: a page that never asks
pays nothing) and passed to services. The API builds its own Actor from the API client.
"""

from __future__ import annotations

from eaccount.assurance import session_assurance
from kernel.actors import Actor
from kernel.constants import Basis, Channel
from kernel.http import client_ip

from .context import current_principal


def actor_from_request(request, *, channel: str = Channel.E_SERVICE) -> Actor:
    user = getattr(request, "user", None)
    ip = client_ip(request)
    if user is None or not user.is_authenticated:
        return Actor(channel=channel, ip=ip)
    principal = current_principal(request)
    return Actor(
        user=user,
        principal=principal.obj if principal is not None else None,
        basis=principal.basis if principal is not None else Basis.SELF,
        scope=principal.service_codes
        if principal is not None and principal.basis == Basis.DELEGATION
        else None,
        channel=channel,
        assurance=session_assurance(request),
        ip=ip,
    )


def actor_at_work(actor: Actor, *, channel: str = Channel.AGENCY, centre_id: int | None = None) -> Actor:
    """The same user acting as staff (an agency's or a centre's), for nobody in particular."""
    return Actor(
        user=actor.user, channel=channel, assurance=actor.assurance, centre_id=centre_id, ip=actor.ip
    )
