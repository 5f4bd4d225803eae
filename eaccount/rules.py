"""May this happen now? The e-account's predicates, one per rule, used by the services (after they
lock what they change) and by the pages and the Django admin (to offer only what is allowed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .constants import ADMIN_ROLES, AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from .models import BoardMembership, Organisation, ParentChild, Person, StaffRole


@dataclass(frozen=True, slots=True)
class StaffRoleGrantScope:
    """What a user may grant and revoke: any role, or the roles of these agencies and centres."""

    any_role: bool = False
    agency_ids: frozenset[int] = frozenset()
    centre_ids: frozenset[int] = frozenset()

    @property
    def grants_anything(self) -> bool:
        return self.any_role or bool(self.agency_ids) or bool(self.centre_ids)

    @property
    def kinds(self) -> set[str]:
        """The kinds of role granted somewhere in this scope (admin-level ones by a platform admin only)."""
        if self.any_role:
            return set(StaffRoleKind.values)
        return (set(AGENCY_ROLES - ADMIN_ROLES) if self.agency_ids else set()) | (
            set(CENTRE_ROLES - ADMIN_ROLES) if self.centre_ids else set()
        )


def staff_role_grant_scope(*, user) -> StaffRoleGrantScope:
    """Reg. 401 Annex 2: a platform admin (or a superuser) grants and revokes any role; an agency
    admin the roles of their own agencies; a centre admin those of their own centres; nobody else any."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffRoleGrantScope()
    if user.is_superuser:
        return StaffRoleGrantScope(any_role=True)
    rows = list(
        StaffRole.objects.active()
        .filter(
            user=user,
            kind__in=[StaffRoleKind.PLATFORM_ADMIN, StaffRoleKind.AGENCY_ADMIN, StaffRoleKind.CENTRE_ADMIN],
        )
        .values_list("kind", "agency_id", "centre_id")
    )
    return StaffRoleGrantScope(
        any_role=any(kind == StaffRoleKind.PLATFORM_ADMIN for kind, _, _ in rows),
        agency_ids=frozenset(a for kind, a, _ in rows if kind == StaffRoleKind.AGENCY_ADMIN),
        centre_ids=frozenset(c for kind, _, c in rows if kind == StaffRoleKind.CENTRE_ADMIN),
    )


def staff_role_grant_allowed(
    *,
    granter,
    kind: str,
    agency_id: int | None,
    centre_id: int | None,
    scope: StaffRoleGrantScope | None = None,
    grantee_id: int | None = None,
) -> bool:
    """May `granter` grant (or revoke) a role of `kind` in this agency or centre? Reg. 401 Annex 2:
    admin-level roles (agency_admin, centre_admin, platform_admin) only by a platform admin, on the
    agency's request; an agency admin grants agency_staff within their own agencies, a centre admin
    centre_specialist within their own centres (notes 3-4). Nobody but a superuser grants a role to
    themselves (`grantee_id`, when granting). `scope` is the granter's `staff_role_grant_scope`, when
    the caller has it already."""
    scope = scope if scope is not None else staff_role_grant_scope(user=granter)
    if kind not in StaffRoleKind.values:
        return False
    if grantee_id is not None and grantee_id == getattr(granter, "pk", None) and not granter.is_superuser:
        return False
    if scope.any_role:
        return True
    if kind in ADMIN_ROLES:
        return False
    if kind in AGENCY_ROLES:
        return agency_id is not None and agency_id in scope.agency_ids
    if kind in CENTRE_ROLES:
        return centre_id is not None and centre_id in scope.centre_ids
    return False


def staff_role_revoke_allowed(*, revoker, role: StaffRole, scope: StaffRoleGrantScope | None = None) -> bool:
    """Whoever may grant a role may revoke it, and nobody else."""
    return staff_role_grant_allowed(
        granter=revoker, kind=role.kind, agency_id=role.agency_id, centre_id=role.centre_id, scope=scope
    )


def contacts_edit_allowed(*, user, party) -> bool:
    """May `user` set the contact details, language and notice choices of `party` (and confirm its
    new e-mail address)? A person their own; a parent those of their minor child (the child's legal
    representative, register data); a board member today those of the company. Nobody else: not a
    delegate (a delegation covers services, not the principal's contacts), not staff."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    person_id = getattr(user, "person_id", None)
    if not person_id or party is None or party.pk is None:
        return False
    if isinstance(party, Person):
        if party.pk == person_id:
            return True
        return party.is_minor and ParentChild.objects.filter(parent_id=person_id, child_id=party.pk).exists()
    if isinstance(party, Organisation):
        today = timezone.localdate()
        return (
            BoardMembership.objects.filter(person_id=person_id, organisation_id=party.pk)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .exists()
        )
    return False


def contacts_set_in_person_allowed(*, centre_id: int | None, centre_ids: set[int], party) -> bool:
    """May a one-stop centre's specialist set, with the client at the desk, where the client's case
    notices go (Reg. 401 point 22.1.7: the client of an authorised e-service chooses how to be told
    the result)? Only at a centre they work at, only for a natural person (who says it themselves)."""
    return isinstance(party, Person) and centre_id is not None and centre_id in centre_ids
