"""An agency admin grants and revokes their own agency's staff roles, a centre admin their own centre's
specialists' (Reg. 401 Annex 2 notes 3-4), each for a term or permanently; the platform admin any."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eaccount import rules as eaccount_rules
from eaccount import selectors as eaccount_selectors
from eaccount import services as eaccount_services
from eaccount.exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from kernel.actors import Actor
from kernel.errors import Invalid, NotFound

from .. import rules
from ._common import attempt_refused, role_changed_notify, term_end


def staff_grant(
    *,
    actor: Actor,
    personal_code: str,
    kind: str,
    agency=None,
    centre=None,
    valid_until: date | None = None,
    permanent: bool = False,
):
    """Grant the person with this personal code a role of `kind` in the agency or centre, until the
    end of `valid_until` or `permanent`. Raises Invalid (422) for an unknown person or a term in the
    past, StaffRoleGrantNotAllowed (403, audited) outside the granter's scope, for an admin-level role
    or for themselves. The person is told."""
    errors: dict[str, list[str]] = {}
    try:
        person = eaccount_selectors.person_get_by_personal_code(personal_code=personal_code)
    except ValidationError as error:
        person = None
        errors["personal_code"] = list(error.messages)
    else:
        if person is None:
            errors["personal_code"] = [_("No person with this personal code is in the register.")]
    if not rules.term_allowed(valid_until=valid_until, permanent=permanent, today=timezone.localdate()):
        errors["valid_until"] = [
            _("Give a date after today until which the role holds, or tick “permanent”.")
        ]
    if errors:
        raise Invalid(field_errors=errors)
    user = getattr(person, "user", None)
    if not rules.staff_grant_allowed(
        granter=actor.user_or_none,
        kind=kind,
        agency_id=agency.pk if agency else None,
        centre_id=centre.pk if centre else None,
        grantee_id=user.pk if user else None,
    ):
        attempt_refused(
            actor=actor,
            action="role.grant",
            reason="outside_scope",
            target=agency or centre,
            data={"kind": str(kind), "person": person.pk},
        )
        raise StaffRoleGrantNotAllowed(kind=str(kind))
    with transaction.atomic():
        if user is None:
            user = eaccount_services.user_create_for_person(person=person)
        role = eaccount_services.staff_role_grant(
            actor=actor,
            user=user,
            kind=kind,
            agency=agency,
            centre=centre,
            valid_until=term_end(valid_until) if not permanent else None,
            permanent=permanent,
        )
        role_changed_notify(actor=actor, role=role, granted=True, key="")
    return role


def staff_revoke(*, actor: Actor, role_id: int, reason: str = ""):
    """Revoke a role within the admin's scope; it stops working on its holder's next request (their
    cached role facts are forgotten). An unknown role is NotFound (404); one outside the scope is
    StaffRoleRevokeNotAllowed (403, audited)."""
    role = eaccount_selectors.staff_roles_in_scope(every=True).filter(pk=role_id).first()
    if role is None:
        raise NotFound()
    if not eaccount_rules.staff_role_revoke_allowed(revoker=actor.user_or_none, role=role):
        attempt_refused(actor=actor, action="role.revoke", reason="outside_scope", target=role)
        raise StaffRoleRevokeNotAllowed(kind=role.kind)
    with transaction.atomic():
        already = role.revoked_at is not None
        role = eaccount_services.staff_role_revoke(
            actor=actor, role=role, reason=(reason or "").strip()[:500]
        )
        if not already:
            role_changed_notify(actor=actor, role=role, granted=False, key="")
    return role
