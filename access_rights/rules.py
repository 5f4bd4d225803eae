"""May this happen? One predicate per rule of Reg. 401 point 22 and Annex 2, asked by the services
(after they lock what they change) and by the pages (to offer only what is allowed)."""

from __future__ import annotations

from datetime import date

from eaccount import rules as eaccount_rules
from eaccount.constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from eaccount.selectors import staff_role_facts, user_is_platform_admin

from .constants import REQUESTABLE_KINDS, AccessRequestStatus


def _active_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def access_request_submit_allowed(
    *, user, agency_id: int | None, centre_id: int | None, municipality_id=None
) -> bool:
    """Annex 2: an agency, a municipality or a service holder asks, through its authorised person.
    Here: whoever works for that agency now (any agency role), or for that centre or the centre's
    municipality; the signed request document carries the authority, and the ministry checks it."""
    if not _active_user(user):
        return False
    for kind, agency, centre in staff_role_facts(user=user):
        if agency_id is not None and kind in AGENCY_ROLES and agency == agency_id:
            return True
        if centre_id is not None and kind in CENTRE_ROLES and centre == centre_id:
            return True
        if centre_id is not None and kind in AGENCY_ROLES and municipality_id and agency == municipality_id:
            return True
    return False


def access_request_entry_kind_allowed(*, kind: str, agency_id: int | None, centre_id: int | None) -> bool:
    """A request asks for admin-level rights of its own scope: an agency's admin, a centre's admin."""
    if kind not in REQUESTABLE_KINDS:
        return False
    if kind == StaffRoleKind.AGENCY_ADMIN:
        return agency_id is not None
    return centre_id is not None


def access_request_decide_allowed(*, user, request) -> bool:
    """The ministry (a platform admin) decides; never on a request they submitted or that names them."""
    if not _active_user(user) or not (user.is_superuser or user_is_platform_admin(user=user)):
        return False
    if request.submitted_by_id == user.pk:
        return False
    person_id = getattr(user, "person_id", None)
    return not any(entry.person_id == person_id for entry in request.entries.all()) if person_id else True


def access_request_pending(*, request) -> bool:
    return request.status == AccessRequestStatus.PENDING


def access_request_visible(*, user, request) -> bool:
    """The ministry sees every request; the requesting side, the requests of its own agency or centre."""
    if not _active_user(user):
        return False
    if user.is_superuser or user_is_platform_admin(user=user) or request.submitted_by_id == user.pk:
        return True
    municipality_id = request.centre.municipality_id if request.centre_id else None
    return access_request_submit_allowed(
        user=user, agency_id=request.agency_id, centre_id=request.centre_id, municipality_id=municipality_id
    )


def term_allowed(*, valid_until: date | None, permanent: bool, today: date) -> bool:
    """Annex 2 note 2: until a date (after today), or permanent — exactly one of the two."""
    if permanent:
        return valid_until is None
    return valid_until is not None and valid_until > today


def staff_grant_allowed(
    *, granter, kind: str, agency_id: int | None, centre_id: int | None, grantee_id=None
) -> bool:
    """Annex 2 notes 3-4, the e-account's rule: own agency's or centre's staff, no admin-level role,
    not to oneself (a platform admin grants anything)."""
    return eaccount_rules.staff_role_grant_allowed(
        granter=granter, kind=kind, agency_id=agency_id, centre_id=centre_id, grantee_id=grantee_id
    )


def register_visible(*, user) -> bool:
    """Who may open the register of rights: the platform admin, and the admins of an agency or centre."""
    return eaccount_rules.staff_role_grant_scope(user=user).grants_anything
