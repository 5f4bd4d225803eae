"""What the catalogue learns about a user from the e-account (registered in EaccountConfig.ready)."""

from __future__ import annotations

from catalogue.viewer import EditorFacts

from .constants import StaffRoleKind
from .models import BoardMembership, StaffRole


def catalogue_editor_facts(user) -> EditorFacts:
    """One query: the user's active roles."""
    roles = list(StaffRole.objects.active().filter(user=user).values_list("kind", "agency_id"))
    return EditorFacts(
        is_official=bool(roles),
        platform_admin=any(kind == StaffRoleKind.PLATFORM_ADMIN for kind, _agency in roles),
        agency_ids=frozenset(agency for kind, agency in roles if kind == StaffRoleKind.AGENCY_ADMIN),
    )


def person_may_represent_organisations(*, person) -> bool:
    """A board member (on the register) may see services for organisations. One query."""
    return BoardMembership.objects.filter(person=person).exists()
