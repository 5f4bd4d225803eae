from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from delegation.constants import Basis
from delegation.selectors import Principal, principals_for
from eaccount import inbox
from eaccount.assurance import has_assurance, session_assurance
from eaccount.constants import AssuranceLevel


@dataclass(frozen=True)
class ActForChoice:
    """One entry of the header's "acting for" switch: whom, on what basis, what it covers."""

    principal: Principal
    current: bool

    @property
    def key(self) -> str:
        return self.principal.key

    @property
    def label(self) -> str:
        return self.principal.label

    @property
    def basis(self) -> str:
        return str(Basis(self.principal.basis).label)

    @property
    def is_delegation(self) -> bool:
        return self.principal.basis == Basis.DELEGATION

    @property
    def service_codes(self) -> list[str]:
        """For a delegation: the codes of the services it covers ([] = every delegable service)."""
        return sorted(self.principal.service_codes or ())


def act_for_choices(request) -> list[ActForChoice]:
    """Whom the logged-in user may switch to from the header: [] when there is nobody but oneself.

    Reads `principals_for`, kept on the user for the request and in the cache: no query once warm.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    principals = principals_for(user=user)
    if len(principals) < 2:
        return []
    chosen = getattr(request, "acting_for", None)
    current_key = chosen.key if chosen is not None else principals[0].key
    return [ActForChoice(principal=p, current=p.key == current_key) for p in principals]


def inbox_unread(request) -> int:
    """The header's count of unread messages of whom the user acts for (0 where the inbox is not
    open to this session); cached by the inbox, so no query once warm."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_assurance(request, AssuranceLevel.SUBSTANTIAL):
        return 0
    actor = getattr(request, "actor", None)
    if actor is None or actor.principal is None:
        return 0
    return inbox.inbox_unread_count(actor=actor)


def portal(request):
    return {
        "DEMO_LOGIN_ENABLED": settings.DEMO_LOGIN_ENABLED,
        "assurance_level": session_assurance(request),
        # the party the user acts for; the delegation app sets it, "yourself" until then
        "acting_for": getattr(request, "acting_for", None),
        # the header's switch (read only when a page renders it)
        "act_for_choices": SimpleLazyObject(lambda: act_for_choices(request)),
        "inbox_unread": SimpleLazyObject(lambda: inbox_unread(request)),
    }
