"""Writes of the delegation app: granting and revoking delegations (each audited)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit

from .constants import Basis
from .models import Delegation
from .selectors import basis_for, principals_forget


def _is_organisation(party) -> bool:
    return party._meta.label_lower == "eaccount.organisation"


@transaction.atomic
def delegation_grant(
    *,
    principal,
    agent,
    granted_by,
    services=(),
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    request=None,
) -> Delegation:
    """`granted_by` (acting for `principal` as themselves or its legal representative) lets `agent`
    act for `principal` on the listed services (none = every delegable service) for the period.

    A delegate may not pass a delegation on. Raises ValidationError with field messages.
    """
    basis = basis_for(user=granted_by, client=principal)
    if basis not in (Basis.SELF, Basis.LEGAL_REPRESENTATION):
        raise ValidationError(_("Only the principal or their legal representative may delegate."))
    errors: dict[str, list[str]] = {}
    if agent is None:
        errors["agent"] = [_("No person with this personal code was found.")]
    elif not _is_organisation(principal) and agent.pk == principal.pk:
        errors["agent"] = [_("You cannot delegate to yourself.")]
    valid_from = valid_from or timezone.localdate()
    if valid_from < timezone.localdate():
        errors["valid_from"] = [_("A delegation cannot start in the past.")]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The end date is before the start date.")]
    services = list(services or ())
    not_delegable = [s.code for s in services if not s.delegable]
    if not_delegable:
        errors["services"] = [
            _("These services cannot be delegated: %(codes)s.") % {"codes": ", ".join(not_delegable)}
        ]
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        principal_person=None if _is_organisation(principal) else principal,
        principal_organisation=principal if _is_organisation(principal) else None,
        agent=agent,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=granted_by,
    )
    if services:
        delegation.services.set(services)
    audit.record(
        action="delegation.grant",
        actor=granted_by,
        acting_for=principal,
        target=delegation,
        request=request,
        data={
            "agent": agent.pk,
            "services": [s.code for s in services],
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    principals_forget(user=granted_by)
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, revoked_by, request=None) -> Delegation:
    """The principal (or their representative) ends a delegation now. Revoking twice changes nothing."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if basis_for(user=revoked_by, client=locked.principal) not in (Basis.SELF, Basis.LEGAL_REPRESENTATION):
        raise ValidationError(_("Only the principal or their legal representative may revoke a delegation."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            action="delegation.revoke",
            actor=revoked_by,
            acting_for=locked.principal,
            target=locked,
            request=request,
            data={"agent": locked.agent_id},
        )
    delegation.revoked_at = locked.revoked_at
    return locked
