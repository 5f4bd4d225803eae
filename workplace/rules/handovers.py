"""Hand-overs: who may hand which item over to whom, and who may accept one. Pure predicates over
facts the caller read once (the user's id, centres and agencies): the service asks them after
locking, the pages show the choices and buttons from the same calls."""

from __future__ import annotations

from collections.abc import Collection

from ..constants import HandoverState, HandoverTarget

ITEM_CASE = "case"
ITEM_CONSULTATION = "consultation"
ITEM_VISIT = "visit"


def handover_case_visible(
    case, *, user_id: int, centre_ids: Collection[int], agency_ids: Collection[int]
) -> bool:
    """A case the sender may hand over: one of their agencies' (as `case_get_for_staff` decides for
    agency staff), one filed through one of their centres, or one assigned to them."""
    return (
        case.agency_id in agency_ids
        or (case.centre_id is not None and case.centre_id in centre_ids)
        or (case.assigned_to_id is not None and case.assigned_to_id == user_id)
    )


def handover_consultation_visible(
    consultation, *, user_id: int, centre_ids: Collection[int], agency_ids: Collection[int]
) -> bool:
    """A consultation the sender recorded (as `consultation_get_for_staff`), or one of their centre's
    or agency's."""
    return (
        consultation.consulted_by_id == user_id
        or (consultation.centre_id is not None and consultation.centre_id in centre_ids)
        or (consultation.agency_id is not None and consultation.agency_id in agency_ids)
    )


def handover_visit_visible(visit, *, user_id: int) -> bool:
    """A visit's follow-up is handed over only by the specialist who holds the visit."""
    return visit.specialist_id == user_id


def handover_targets_allowed(
    *, item_kind: str, item_agency_id: int | None, centre_ids: Collection[int]
) -> frozenset[str]:
    """Where the sender may hand this item: a colleague always; a centre (theirs or another one-stop
    centre) when they are a centre's specialist; the agency (its queue or a second-level specialist)
    when the item has an agency (a visit has none: it is about no one service)."""
    targets = {HandoverTarget.COLLEAGUE}
    if centre_ids:
        targets.add(HandoverTarget.CENTRE)
    if item_kind != ITEM_VISIT and item_agency_id is not None:
        targets |= {HandoverTarget.SECOND_LEVEL, HandoverTarget.AGENCY}
    return frozenset(targets)


def handover_colleague_allowed(
    *,
    sender_id: int,
    sender_centre_ids: Collection[int],
    sender_agency_ids: Collection[int],
    receiver_id: int,
    receiver_centre_ids: Collection[int],
    receiver_agency_ids: Collection[int],
) -> bool:
    """A colleague: someone else who is a specialist of one of the sender's centres, or staff of one
    of the sender's agencies."""
    return receiver_id != sender_id and bool(
        set(sender_centre_ids) & set(receiver_centre_ids) or set(sender_agency_ids) & set(receiver_agency_ids)
    )


def handover_second_level_allowed(*, agency_id: int, receiver_agency_ids: Collection[int]) -> bool:
    """A second-level specialist: a staff member of the item's agency."""
    return agency_id in receiver_agency_ids


def handover_is_receiver(
    handover, *, user_id: int, centre_ids: Collection[int], agency_ids: Collection[int]
) -> bool:
    """Named in it, or (when nobody is named) a specialist of its centre or staff of its agency; never
    the sender, who handed it away."""
    if handover.handed_by_id == user_id:
        return False
    if handover.to_user_id is not None:
        return handover.to_user_id == user_id
    return (handover.to_centre_id is not None and handover.to_centre_id in centre_ids) or (
        handover.to_agency_id is not None and handover.to_agency_id in agency_ids
    )


def handover_accept_allowed(
    handover, *, user_id: int, centre_ids: Collection[int], agency_ids: Collection[int]
) -> bool:
    """A receiver accepts a hand-over that is still waiting."""
    return handover.state == HandoverState.WAITING and handover_is_receiver(
        handover, user_id=user_id, centre_ids=centre_ids, agency_ids=agency_ids
    )


def handover_assigns_case(case, *, agency_ids: Collection[int]) -> bool:
    """Accepting a case's hand-over assigns the case to the acceptor when they are staff of its agency
    (the registry's `case_take_allowed` still decides whether it may be taken); a centre's specialist
    only marks it accepted."""
    return case.agency_id in agency_ids
