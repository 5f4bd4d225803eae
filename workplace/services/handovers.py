"""Hand-overs: a specialist passes a case, a consultation or a visit's follow-up to a colleague, a
one-stop centre, a second-level specialist or the agency's staff, with a note; a receiver accepts it
(a case then becomes the acceptor's when they are its agency's staff). Each act is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
from eaccount.selectors import agency_ids_for_user, centre_ids_for_user
from kernel.actors import Actor
from requests_registry import rules as registry_rules
from requests_registry import services as registry_services

from ..constants import HandoverState, HandoverTarget, WorkplaceAction
from ..exceptions import HandoverInvalid, HandoverItemNotFound, HandoverNotFound, HandoverNotWaiting
from ..models import Handover
from ..rules import handovers as rules
from ..selectors.handovers import (
    handover_item_agency_id,
    handover_item_client,
    handover_item_kind,
    official_facts,
)

NOTE_LIMIT = 2000


def _sender(actor: Actor):
    user = actor.user_or_none
    if user is None:
        raise HandoverItemNotFound()
    return user


def _item_visible(item, *, kind: str, me) -> bool:
    facts = {"user_id": me.user_id, "centre_ids": me.centre_ids, "agency_ids": me.agency_ids}
    if kind == rules.ITEM_CASE:
        return rules.handover_case_visible(item, **facts)
    if kind == rules.ITEM_CONSULTATION:
        return rules.handover_consultation_visible(item, **facts)
    return rules.handover_visit_visible(item, user_id=me.user_id)


def _receiver(
    *, target: str, me, item_agency_id: int | None, to_user, to_centre, to_agency
) -> tuple[dict, dict[str, list[str]]]:
    """The receiver's columns for this target, and the errors (by the form's field names)."""
    errors: dict[str, list[str]] = {}
    if target == HandoverTarget.COLLEAGUE:
        if to_user is None:
            errors["to_user"] = [_("Choose the colleague.")]
        elif not rules.handover_colleague_allowed(
            sender_id=me.user_id,
            sender_centre_ids=me.centre_ids,
            sender_agency_ids=me.agency_ids,
            receiver_id=to_user.pk,
            receiver_centre_ids=centre_ids_for_user(user=to_user),
            receiver_agency_ids=agency_ids_for_user(user=to_user),
        ):
            errors["to_user"] = [_("Choose a colleague of your centre or agency.")]
        return {"to_user": to_user}, errors
    if target == HandoverTarget.CENTRE:
        if to_centre is None:
            errors["to_centre"] = [_("Choose the centre.")]
        return {"to_centre": to_centre}, errors
    # second level or the agency's queue: the agency of the item's service, never another
    if item_agency_id is None or (to_agency is not None and to_agency.pk != item_agency_id):
        errors["target"] = [_("This can be handed only to the agency of its service.")]
        return {}, errors
    columns = {"to_agency_id": item_agency_id}
    if target == HandoverTarget.SECOND_LEVEL and to_user is not None:
        if to_user.pk == me.user_id or not rules.handover_second_level_allowed(
            agency_id=item_agency_id, receiver_agency_ids=agency_ids_for_user(user=to_user)
        ):
            errors["second_level_user"] = [_("Choose a staff member of the agency of the service.")]
        columns["to_user"] = to_user
    return columns, errors


@transaction.atomic
def handover_create(
    *,
    actor: Actor,
    item,
    target: str,
    to_user=None,
    to_centre=None,
    to_agency=None,
    note: str,
) -> Handover:
    """Hand `item` (a case, a consultation or a visit the sender may see) to a receiver, with a note.

    colleague: `to_user`, a specialist of one of the sender's centres or staff of one of their
    agencies; centre: `to_centre`, the sender's or another one-stop centre (any of its specialists
    may accept); second_level / agency: the agency of the item's service (`to_agency` may be left
    out), second_level optionally naming `to_user`, one of that agency's staff."""
    user = _sender(actor)
    me = official_facts(user=user)
    kind = handover_item_kind(item)
    if not _item_visible(item, kind=kind, me=me):
        raise HandoverItemNotFound()
    item_agency_id = handover_item_agency_id(item)

    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Write a note for the receiver.")]
    elif len(note) > NOTE_LIMIT:
        errors["note"] = [_("Enter at most %(limit)s characters.") % {"limit": NOTE_LIMIT}]
    allowed = rules.handover_targets_allowed(
        item_kind=kind, item_agency_id=item_agency_id, centre_ids=me.centre_ids
    )
    columns: dict = {}
    if target not in allowed:
        errors["target"] = [_("Choose whom to hand it to.")]
    else:
        columns, receiver_errors = _receiver(
            target=target,
            me=me,
            item_agency_id=item_agency_id,
            to_user=to_user,
            to_centre=to_centre,
            to_agency=to_agency,
        )
        errors.update(receiver_errors)
    if errors:
        raise HandoverInvalid(errors)

    handover = Handover.objects.create(
        **{kind: item}, target=target, note=note, handed_by=user, state=HandoverState.WAITING, **columns
    )
    audit.record(
        action=WorkplaceAction.HANDOVER,
        actor=actor,
        acting_for=handover_item_client(item),
        target=handover,
        data={
            "item": kind,
            "item_id": item.pk,
            **({"number": item.number} if kind == rules.ITEM_CASE else {}),
            "to": target,
            "to_user": handover.to_user_id,
            "to_centre": handover.to_centre_id,
            "to_agency": handover.to_agency_id,
        },
    )
    return handover


@transaction.atomic
def handover_accept(*, actor: Actor, handover: Handover) -> Handover:
    """A receiver accepts a waiting hand-over (under its row lock: of two at once, the second is
    refused). A case's hand-over accepted by its agency's staff assigns the case to them (when it is
    open and not theirs already); otherwise it is only marked accepted."""
    user = actor.user_or_none
    if user is None:
        raise HandoverNotFound()
    locked = Handover.objects.select_for_update().filter(pk=handover.pk).first()
    if locked is None:
        raise HandoverNotFound()
    me = official_facts(user=user)
    facts = {"user_id": me.user_id, "centre_ids": me.centre_ids, "agency_ids": me.agency_ids}
    if not rules.handover_is_receiver(locked, **facts):
        raise HandoverNotFound()
    if not rules.handover_accept_allowed(locked, **facts):
        raise HandoverNotWaiting()

    item = locked.case or locked.consultation or locked.visit
    assigned = False
    if locked.case_id is not None:
        case = locked.case
        if rules.handover_assigns_case(case, agency_ids=me.agency_ids) and registry_rules.case_take_allowed(
            case, user=user
        ):
            registry_services.case_assign(actor=actor, case=case, assignee=user)
            assigned = True

    locked.state = HandoverState.ACCEPTED
    locked.accepted_by = user
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["state", "accepted_by", "accepted_at"])
    audit.record(
        action=WorkplaceAction.HANDOVER_ACCEPT,
        actor=actor,
        acting_for=handover_item_client(item),
        target=locked,
        data={"item": handover_item_kind(item), "item_id": item.pk, "assigned": assigned},
    )
    handover.state, handover.accepted_by, handover.accepted_at = locked.state, user, locked.accepted_at
    return locked
