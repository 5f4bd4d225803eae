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
from ..exceptions import EditingNotAllowed, PublishNeedsSecondAdmin
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


def _preparer_add(service: Service, user) -> None:
    """Note who prepared the unpublished changes (once each, in order)."""
    if user is None or any(p.get("id") == user.pk for p in service.preparers):
        return
    service.preparers = [*service.preparers, {"id": user.pk, "name": str(user)[:200]}]


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
    _preparer_add(service, user)
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
    _preparer_add(locked, user)
    if locked.state == ServiceState.DRAFT:
        _apply_snapshot(service=locked, snapshot=clean)
    else:
        live = service_snapshot(service=locked)
        locked.pending = None if clean == live else clean
        if locked.pending is None:
            locked.preparers = []
        locked.save(update_fields=["pending", "preparers", "updated_at"])
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
    locked.preparers = []
    locked.save(update_fields=["pending", "preparers", "updated_at"])
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
        preparers=list(locked.preparers),
    )
    Service.objects.filter(pk=locked.pk).update(version=number)
    service.version = number
    return version


def service_publish(*, actor: Actor, service: Service) -> ServiceVersion | None:
    """Publish: apply pending changes, make the service public, keep the new state as a version.

    Cases filed earlier keep pointing at their own ServiceVersion, so an e-form change never
    alters them. Returns the new version (None if the content did not change since the last one).

    Four eyes: when the agency requires it (`Agency.four_eyes_publishing`), none of the users who
    prepared the changes may publish them (rules.service_publish_by_allowed, asked after the lock):
    PublishNeedsSecondAdmin, and the refused attempt is kept in the audit trail (written after the
    rolled-back transaction, so it stays). The publish event names who prepared and who approved.
    """
    user = actor.user_or_none
    _require_edit(user, service)
    refused: dict[str, Any] | None = None
    try:
        with transaction.atomic():
            locked = (
                Service.objects.select_for_update(of=("self",))
                .select_related("agency", "category")
                .get(pk=service.pk)
            )
            if not rules.service_publish_allowed(locked):
                raise EditingNotAllowed(_("The service is public and has no unpublished changes."))
            four_eyes = locked.agency.four_eyes_publishing
            prepared_by = [str(p.get("name", "")) for p in locked.preparers or []]
            if not rules.service_publish_by_allowed(locked, user, four_eyes=four_eyes):
                refused = {"code": locked.code, "four_eyes": True, "prepared_by": prepared_by}
                raise PublishNeedsSecondAdmin()
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
            Service.objects.filter(pk=locked.pk).update(preparers=[])
            locked.preparers = []
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
                    "four_eyes": four_eyes,
                    "prepared_by": prepared_by,
                    "approved_by": str(user)[:200] if user is not None else actor.label,
                },
            )
    except PublishNeedsSecondAdmin:
        if refused is not None:
            audit.record(
                action="catalogue.service.publish_refused", actor=actor, target=service, data=refused
            )
        raise
    service.state, service.version, service.pending = locked.state, locked.version, None
    service.preparers = []
    return version


@transaction.atomic
def service_withdraw(*, actor: Actor, service: Service) -> Service:
    """Withdraw a published service: the public no longer sees it (404); its versions and cases stay.

    Any user who may edit the service withdraws it, four eyes or not (a withdrawal stops harm
    quickly); the audit event names who did it (the history shows it)."""
    _require_edit(actor.user_or_none, service)
    locked = Service.objects.select_for_update(of=("self",)).select_related("agency").get(pk=service.pk)
    if not rules.service_withdraw_allowed(locked):
        raise EditingNotAllowed(_("Only a published service can be withdrawn."))
    locked.state = ServiceState.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        action="catalogue.service.withdraw",
        actor=actor,
        target=locked,
        data={
            "code": locked.code,
            "version": locked.version,
            "four_eyes": locked.agency.four_eyes_publishing,
            "withdrawn_by": str(actor.user_or_none)[:200] if actor.user_or_none else actor.label,
        },
    )
    service.state = locked.state
    return locked


def service_update_section(*, actor: Actor, service: Service, fields: dict[str, Any]) -> Service:
    """Save one section of the editor (some keys of the snapshot): the rest of the working state stays
    as it is (the pending changes of a public service, or the draft). ValidationError by field."""
    unknown = (
        set(fields) - set(EDITABLE_FIELDS) - {"agency", "category", "fee_eur", "life_events", "channels"}
    )
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    data = {**service_working_snapshot(service=service), **copy.deepcopy(fields)}
    return service_update(actor=actor, service=service, data=data)
