"""Writes of the delegation app: granting and revoking delegations (each audited)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.parties import is_organisation

from . import rules
from .models import Delegation
from .selectors import basis_for, principals_forget


@transaction.atomic
def delegation_grant(
    *,
    actor: Actor,
    principal,
    agent,
    services=(),
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Delegation:
    """The actor (acting for `principal` as themselves or its legal representative) lets `agent`
    act for `principal` on the listed services (none = every delegable service) for the period.

    A delegate may not pass a delegation on. Raises ValidationError with field messages.
    """
    granted_by = actor.user_or_none
    basis = basis_for(user=granted_by, client=principal)
    if not rules.delegation_grant_allowed(basis=basis):
        raise ValidationError(_("Only the principal or their legal representative may delegate."))
    errors: dict[str, list[str]] = {}
    if agent is None:
        errors["agent"] = [_("No person with this personal code was found.")]
    elif not is_organisation(principal) and agent.pk == principal.pk:
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
        principal_person=None if is_organisation(principal) else principal,
        principal_organisation=principal if is_organisation(principal) else None,
        agent=agent,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=granted_by,
    )
    if services:
        delegation.services.set(services)
    audit.record(
        action="delegation.grant",
        actor=actor,
        acting_for=principal,
        target=delegation,
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
def delegation_revoke(*, actor: Actor, delegation: Delegation) -> Delegation:
    """The principal (or their representative) ends a delegation now. Revoking twice changes nothing."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not rules.delegation_revoke_allowed(basis=basis_for(user=actor.user_or_none, client=locked.principal)):
        raise ValidationError(_("Only the principal or their legal representative may revoke a delegation."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            action="delegation.revoke",
            actor=actor,
            acting_for=locked.principal,
            target=locked,
            data={"agent": locked.agent_id},
        )
    delegation.revoked_at = locked.revoked_at
    return locked
