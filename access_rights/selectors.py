"""Reads of access rights: requests, the register of rights and its history, roles to review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import selectors as audit_selectors
from catalogue import selectors as catalogue_selectors
from eaccount import rules as eaccount_rules
from eaccount import selectors as eaccount_selectors
from eaccount.constants import ADMIN_ROLES, AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind

from .models import AccessRequest, AccessRequestEntry

ROLE_EVENT_ACTIONS = ("role.grant", "role.revoke", "role.expire")
# the history's actions by their names, not their codes
ROLE_EVENT_LABELS = {"role.grant": _("Granted"), "role.revoke": _("Revoked"), "role.expire": _("Term ended")}
STAFF_ROLE_TYPE = "eaccount.staffrole"


@dataclass(frozen=True)
class Scope:
    """The agencies and centres a user administers (`every`: the platform admin, all of them)."""

    every: bool
    agency_ids: frozenset[int]
    centre_ids: frozenset[int]
    kinds: frozenset[str] = frozenset()  # the kinds of role they grant (eaccount's rule)

    @property
    def empty(self) -> bool:
        return not (self.every or self.agency_ids or self.centre_ids)


def rights_facts(*, user) -> dict[str, bool]:
    """What the access-rights pages offer this user (the header's link, the tabs): an official is
    anyone with a role or a superuser; from the role facts the request has already."""
    if user is None or not user.is_authenticated:
        return {"official": False, "admin": False, "platform_admin": False}
    kinds = {kind for kind, _a, _c in eaccount_selectors.staff_role_facts(user=user)}
    platform_admin = user.is_superuser or StaffRoleKind.PLATFORM_ADMIN in kinds
    return {
        "official": bool(kinds) or user.is_superuser,
        "admin": platform_admin or bool(kinds & ADMIN_ROLES),
        "platform_admin": platform_admin,
    }


def scope_administered(*, user) -> Scope:
    grant_scope = eaccount_rules.staff_role_grant_scope(user=user)
    return Scope(
        grant_scope.any_role, grant_scope.agency_ids, grant_scope.centre_ids, frozenset(grant_scope.kinds)
    )


def scope_narrowed(scope: Scope, *, agency_id: int | None = None, centre_id: int | None = None) -> Scope:
    """The part of `scope` for one agency or centre (nothing, if it is outside the scope)."""
    if agency_id is not None:
        inside = scope.every or agency_id in scope.agency_ids
        return Scope(False, frozenset({agency_id}) if inside else frozenset(), frozenset(), scope.kinds)
    if centre_id is not None:
        inside = scope.every or centre_id in scope.centre_ids
        return Scope(False, frozenset(), frozenset({centre_id}) if inside else frozenset(), scope.kinds)
    return scope


def agencies_and_centres_of(scope: Scope):
    """(agencies, centres) of a scope, for the pages' choices."""
    agencies = catalogue_selectors.agencies(ids=None if scope.every else scope.agency_ids).order_by("code")
    centres = catalogue_selectors.centres(ids=None if scope.every else scope.centre_ids).order_by("code")
    return agencies, centres


def request_scopes_for(*, user):
    """(agencies, centres) a user may submit an Annex 2 request for: those they work for, and the
    centres of the municipalities they work for."""
    facts = eaccount_selectors.staff_role_facts(user=user)
    agency_ids = {agency for kind, agency, _c in facts if kind in AGENCY_ROLES and agency}
    centre_ids = {centre for kind, _a, centre in facts if kind in CENTRE_ROLES and centre}
    centres = catalogue_selectors.centres().filter(Q(pk__in=centre_ids) | Q(municipality_id__in=agency_ids))
    return catalogue_selectors.agencies(ids=agency_ids).order_by("code"), centres.order_by("code")


def _requests():
    return AccessRequest.objects.select_related(
        "agency", "centre", "centre__municipality", "submitted_by__person", "decided_by__person"
    )


def access_requests_visible(*, user, status: str = "") -> QuerySet[AccessRequest]:
    """The ministry: every request; others: those of the agencies and centres they may ask for."""
    requests = _requests()
    if status:
        requests = requests.filter(status=status)
    if user.is_superuser or eaccount_selectors.user_is_platform_admin(user=user):
        return requests
    agencies, centres = request_scopes_for(user=user)
    return requests.filter(
        Q(submitted_by=user) | Q(agency__in=agencies.values("pk")) | Q(centre__in=centres.values("pk"))
    )


def access_request_get(*, pk: int) -> AccessRequest | None:
    entries = AccessRequestEntry.objects.select_related("person", "role").order_by("id")
    return _requests().prefetch_related(Prefetch("entries", queryset=entries)).filter(pk=pk).first()


def register_roles(*, scope: Scope, current_only: bool = False):
    """The register of rights of a scope: who holds which role, since and until when, granted by whom,
    on which request (the role's `request_entries`, prefetched)."""
    roles = eaccount_selectors.staff_roles_in_scope(
        agency_ids=scope.agency_ids, centre_ids=scope.centre_ids, every=scope.every
    )
    if current_only:
        roles = roles.filter(pk__in=_current_ids())
    entries = AccessRequestEntry.objects.select_related("request").order_by("id")
    return roles.prefetch_related(Prefetch("access_request_entries", queryset=entries))


def _current_ids():
    now = timezone.now()
    return (
        eaccount_selectors.staff_roles_in_scope(every=True)
        .filter(revoked_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .values("pk")
    )


def register_history(*, scope: Scope):
    """Every grant, revocation and end of the scope's roles, newest first (the audit trail's events)."""
    role_ids = (
        eaccount_selectors.staff_roles_in_scope(
            agency_ids=scope.agency_ids, centre_ids=scope.centre_ids, every=scope.every
        )
        .order_by()
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    return (
        audit_selectors.events_of_type(object_type=STAFF_ROLE_TYPE, actions=ROLE_EVENT_ACTIONS)
        .filter(object_id__in=role_ids)
        .order_by("-at", "-id")
    )


def roles_to_review(*, scope: Scope, since: datetime):
    """Roles in force whose holder has not logged in since `since` (Annex 2 note 4: an admin answers
    for revoking rights in time)."""
    roles = eaccount_selectors.staff_roles_without_login_since(since=since)
    if not scope.every:
        roles = roles.filter(
            Q(kind__in=AGENCY_ROLES, agency_id__in=scope.agency_ids)
            | Q(kind__in=CENTRE_ROLES, centre_id__in=scope.centre_ids)
        )
    return roles


def roles_by_ids(*, ids) -> dict[str, object]:
    """Roles by their id as text (the audit trail's object ids), with holder and scope: one query."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    if not wanted:
        return {}
    roles = eaccount_selectors.staff_roles_in_scope(every=True).filter(pk__in=wanted)
    return {str(role.pk): role for role in roles}
