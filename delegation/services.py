"""Writes of the delegation app: granting and revoking delegations (each audited)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

import audit.services as audit
from eaccount.selectors import person_get_by_code_and_name
from kernel.actors import Actor
from kernel.parties import is_organisation

from . import rules
from .exceptions import AgentLookupLimited, AgentNotMatched
from .models import Delegation
from .selectors import basis_for, principals_forget


def _terms_errors(*, valid_from: datetime.date, valid_until: datetime.date | None, services) -> dict:
    """What is wrong with a delegation's period and services ({field: [messages]}, empty if nothing)."""
    errors: dict[str, list[str]] = {}
    if valid_from < timezone.localdate():
        errors["valid_from"] = [_("A delegation cannot start in the past.")]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The end date is before the start date.")]
    not_delegable = [s.code for s in services if not s.delegable]
    if not_delegable:
        errors["services"] = [
            _("These services cannot be delegated: %(codes)s.") % {"codes": ", ".join(not_delegable)}
        ]
    return errors


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
    services = list(services or ())
    errors.update(_terms_errors(valid_from=valid_from, valid_until=valid_until, services=services))
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


AGENT_LOOKUP_GROUP = "delegation.agent-lookup"


def _lookup_key(actor: Actor) -> str:
    if actor.user_or_none is not None:
        return f"user:{actor.user_or_none.pk}"
    if actor.api_client is not None:
        return f"api-client:{actor.api_client.pk}"
    return f"system:{actor.system_label}"


def _agent_lookup_counted(*, actor: Actor) -> bool:
    """Count one lookup of the register for this actor; False once past DELEGATION_LOOKUP_RATE.

    Every lookup counts, found or not, so that neither guessing codes nor confirming a code and name
    read elsewhere goes faster than the rate. A cache that fails refuses (as the login limit does).
    """
    key = _lookup_key(actor)
    usage = get_usage(
        None,  # the key is the actor's, not the request's: the service is asked without one
        group=AGENT_LOOKUP_GROUP,
        key=lambda _group, _request: key,
        rate=settings.DELEGATION_LOOKUP_RATE,
        method=ALL,
        increment=True,
    )
    return usage is None or not usage["should_limit"]


def delegation_grant_to_person_named(
    *,
    actor: Actor,
    principal,
    personal_code: str,
    first_name: str,
    last_name: str,
    services=(),
    valid_until: datetime.date | None = None,
):
    """Give a delegation to the person the principal names by personal code, first and last name,
    as the national portal does: the three must match the register (see
    `eaccount.selectors.person_get_by_code_and_name`), else AgentNotMatched — the same for an unknown
    code and for a wrong name, and never with the stored name. Lookups are limited per actor
    (DELEGATION_LOOKUP_RATE; past it AgentLookupLimited and nothing is looked up).

    Only the principal or their legal representative may ask, and the period and services must be
    right (ValidationError, as delegation_grant): both are checked before the register is consulted,
    so that no other answer than AgentNotMatched depends on whether the names match.
    """
    if not rules.delegation_grant_allowed(basis=basis_for(user=actor.user_or_none, client=principal)):
        raise ValidationError(_("Only the principal or their legal representative may delegate."))
    # the period and services first: an error about them after the lookup would say the names matched
    services = list(services or ())
    errors = _terms_errors(valid_from=timezone.localdate(), valid_until=valid_until, services=services)
    if errors:
        raise ValidationError(errors)
    if not _agent_lookup_counted(actor=actor):
        raise AgentLookupLimited()
    agent = person_get_by_code_and_name(
        personal_code=personal_code, first_name=first_name, last_name=last_name
    )
    if agent is None:
        raise AgentNotMatched()
    return delegation_grant(
        actor=actor, principal=principal, agent=agent, services=services, valid_until=valid_until
    )


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
