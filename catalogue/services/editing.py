"""The editor's actions: create, update, discard, publish (a new version), withdraw.

Every action checks permissions.service_may_edit, locks the service's row and records an audit event.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor

from .. import rules
from ..constants import ServiceState
from ..eforms import eform_definition_validate
from ..exceptions import EditingNotAllowed
from ..models import (
    Agency,
    Category,
    Channel,
    LifeEvent,
    Service,
    ServiceCentre,
    ServiceChannel,
    ServiceVersion,
)
from ..permissions import service_may_edit
from .search_index import service_search_refresh
from .snapshots import (
    EDITABLE_FIELDS,
    service_snapshot,
    service_snapshot_diff,
    service_working_snapshot,
    snapshot_with_defaults,
)
from .validation import service_data_clean


def _apply_snapshot(*, service: Service, snapshot: dict[str, Any]) -> Service:
    """Make the service's rows match a (clean) snapshot: fields, life events, channels and centres."""
    for name in EDITABLE_FIELDS:
        setattr(service, name, copy.deepcopy(snapshot[name]))
    service.fee_eur = Decimal(snapshot["fee_eur"]) if snapshot.get("fee_eur") else None
    service.agency = Agency.objects.get(code=snapshot["agency"])
    service.category = Category.objects.get(slug=snapshot["category"]) if snapshot.get("category") else None
    service.save()
    service.life_events.set(LifeEvent.objects.filter(code__in=snapshot["life_events"]))
    wanted = snapshot["channels"]
    service.service_channels.exclude(channel__code__in=list(wanted)).delete()
    channels = {c.code: c for c in Channel.objects.filter(code__in=list(wanted))}
    for code, info in wanted.items():
        sc, _created = ServiceChannel.objects.update_or_create(
            service=service,
            channel=channels[code],
            defaults={"instructions_lv": info["instructions_lv"], "instructions_en": info["instructions_en"]},
        )
        sc.centres.set(ServiceCentre.objects.filter(code__in=info["centres"]))
    service_search_refresh(service_ids=[service.pk])
    return service


def _require_edit(user, service: Service) -> None:
    if not service_may_edit(user, service):
        raise PermissionDenied(_("You may not edit this service."))


# --- the editor's actions ----------------------------------------------------------------------


@transaction.atomic
def service_create(*, actor: Actor, data: dict[str, Any]) -> Service:
    """Create a draft service. Refuses a duplicate code and an agency the user may not edit."""
    user = actor.user_or_none
    clean = service_data_clean(data=data, user=user, creating=True)
    agency = Agency.objects.get(code=clean["agency"])
    if not service_may_edit(user, Service(agency=agency)):
        raise PermissionDenied(_("You may not create services of this agency."))
    try:
        with transaction.atomic():
            service = Service.objects.create(
                code=clean["code"], title_lv=clean["title_lv"], agency=agency, state=ServiceState.DRAFT
            )
    except IntegrityError:
        raise ValidationError({"code": [_("A service with this code already exists.")]}) from None
    _apply_snapshot(service=service, snapshot=clean)
    audit.record(
        action="catalogue.service.create",
        actor=actor,
        target=service,
        data={"code": service.code, "agency": agency.code},
    )
    return service


@transaction.atomic
def service_update(*, actor: Actor, service: Service, data: dict[str, Any]) -> Service:
    """Save an editor's changes: applied at once to a draft, kept as pending changes otherwise."""
    user = actor.user_or_none
    _require_edit(user, service)
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    before = service_working_snapshot(service=locked)
    clean = service_data_clean(data=data, user=user, creating=False, current_agency=locked.agency.code)
    clean["code"] = locked.code
    changes = service_snapshot_diff(old=before, new=clean)
    if not changes:
        return locked
    if locked.state == ServiceState.DRAFT:
        _apply_snapshot(service=locked, snapshot=clean)
    else:
        live = service_snapshot(service=locked)
        locked.pending = None if clean == live else clean
        locked.save(update_fields=["pending", "updated_at"])
    audit.record(
        action="catalogue.service.update",
        actor=actor,
        target=locked,
        data={"code": locked.code, "fields": sorted(changes), "state": locked.state},
    )
    return locked


@transaction.atomic
def service_discard_pending(*, actor: Actor, service: Service) -> Service:
    _require_edit(actor.user_or_none, service)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if not rules.service_discard_allowed(locked):
        raise EditingNotAllowed(_("There are no unpublished changes to discard."))
    locked.pending = None
    locked.save(update_fields=["pending", "updated_at"])
    audit.record(action="catalogue.service.discard", actor=actor, target=locked, data={"code": locked.code})
    service.pending = None
    return locked


@transaction.atomic
def service_version_create(*, service: Service, user=None) -> ServiceVersion | None:
    """Record the service's current state as its next version, if it differs from the last one.

    Returns the new version, or None when nothing changed since the last version.
    """
    locked = Service.objects.select_for_update().get(pk=service.pk)
    last = ServiceVersion.objects.filter(service=locked).order_by("-number").first()
    snapshot = service_snapshot(service=locked)
    if last is not None and snapshot_with_defaults(last.snapshot) == snapshot:
        return None
    number = (last.number if last else 0) + 1
    version = ServiceVersion.objects.create(
        service=locked,
        number=number,
        snapshot=snapshot,
        eform=snapshot["eform"],
        changes=service_snapshot_diff(old=last.snapshot if last else None, new=snapshot),
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Service.objects.filter(pk=locked.pk).update(version=number)
    service.version = number
    return version


@transaction.atomic
def service_publish(*, actor: Actor, service: Service) -> ServiceVersion | None:
    """Publish: apply pending changes, make the service public, keep the new state as a version.

    Cases filed earlier keep pointing at their own ServiceVersion, so an e-form change never
    alters them. Returns the new version (None if the content did not change since the last one).
    """
    user = actor.user_or_none
    _require_edit(user, service)
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    if not rules.service_publish_allowed(locked):
        raise EditingNotAllowed(_("The service is public and has no unpublished changes."))
    if locked.pending:
        pending = service_data_clean(
            data=locked.pending, user=user, creating=False, current_agency=locked.agency.code
        )
        pending["code"] = locked.code
        _apply_snapshot(service=locked, snapshot=pending)
    if locked.is_e_service:
        eform_definition_validate(locked.eform)
    previous_state = locked.state
    locked.pending = None
    locked.state = ServiceState.PUBLISHED
    locked.save(update_fields=["pending", "state", "updated_at"])
    version = service_version_create(service=locked, user=user)
    audit.record(
        action="catalogue.service.publish",
        actor=actor,
        target=locked,
        data={
            "code": locked.code,
            "version": locked.version,
            "new_version": version is not None,
            "previous_state": previous_state,
            "fields": sorted(version.changes) if version else [],
        },
    )
    service.state, service.version, service.pending = locked.state, locked.version, None
    return version


@transaction.atomic
def service_withdraw(*, actor: Actor, service: Service) -> Service:
    """Withdraw a published service: the public no longer sees it (404); its versions and cases stay."""
    _require_edit(actor.user_or_none, service)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if not rules.service_withdraw_allowed(locked):
        raise EditingNotAllowed(_("Only a published service can be withdrawn."))
    locked.state = ServiceState.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        action="catalogue.service.withdraw",
        actor=actor,
        target=locked,
        data={"code": locked.code},
    )
    service.state = locked.state
    return locked
