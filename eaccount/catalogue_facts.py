"""What the catalogue learns about a user from the e-account (registered in EaccountConfig.ready)."""

from __future__ import annotations

from catalogue.viewer import EditorFacts

from .constants import StaffRoleKind
from .models import BoardMembership
from .selectors import staff_role_facts


def catalogue_editor_facts(user) -> EditorFacts:
    """The user's active roles (one query per request, shared with the other role questions)."""
    roles = staff_role_facts(user=user)
    return EditorFacts(
        is_official=bool(roles),
        platform_admin=any(kind == StaffRoleKind.PLATFORM_ADMIN for kind, _a, _c in roles),
        agency_ids=frozenset(agency for kind, agency, _c in roles if kind == StaffRoleKind.AGENCY_ADMIN),
    )


def person_may_represent_organisations(*, person) -> bool:
    """A board member (on the register) may see services for organisations. One query."""
    return BoardMembership.objects.filter(person=person).exists()
