"""The "acting for" context that every page carries: whom the logged-in user acts for now."""

from __future__ import annotations

from .constants import SESSION_ACTING_FOR_KEY
from .selectors import Principal, principal_get, principal_self


def acting_for(request) -> Principal | None:
    """The principal chosen in this session other than oneself, validated now; None = oneself.

    Costs no query while the user acts for themselves.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    key = request.session.get(SESSION_ACTING_FOR_KEY)
    if not key:
        return None
    principal = principal_get(user=user, key=key)
    if principal is None or principal.is_self:
        # no longer valid (the child came of age, the board membership ended): back to oneself
        request.session.pop(SESSION_ACTING_FOR_KEY, None)
        return None
    return principal


def current_principal(request) -> Principal | None:
    """Whom actions on this request are for: the chosen principal, else the user themselves."""
    chosen = getattr(request, "acting_for", None)
    if chosen is None and not hasattr(request, "acting_for"):
        chosen = acting_for(request)
    return chosen or principal_self(user=request.user)


def acting_for_set(request, principal: Principal | None) -> None:
    if principal is None or principal.is_self:
        request.session.pop(SESSION_ACTING_FOR_KEY, None)
    else:
        request.session[SESSION_ACTING_FOR_KEY] = principal.key
    request.acting_for = None if principal is None or principal.is_self else principal
