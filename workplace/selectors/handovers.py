"""Hand-overs: the item a sender may hand over, the colleagues they may hand it to, the receiver's
queue and what the sender handed over lately. "Not found" for missing and forbidden alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from eaccount.constants import AGENCY_ROLES, StaffRoleKind
from eaccount.selectors import agency_ids_for_user, centre_ids_for_user
from kernel.collation import latvian
from requests_registry.selectors import case_number_is_valid

from ..constants import HandoverState
from ..exceptions import HandoverItemNotFound, HandoverNotFound
from ..models import Handover, Visit
from ..rules import handovers as rules

SENT_LIMIT = 10

# the registry's rows, reached through the hand-over's own foreign keys (another app's models are
# never imported; its selectors answer only for agency staff and a consultation's own specialist)
_Case = Handover._meta.get_field("case").related_model
_Consultation = Handover._meta.get_field("consultation").related_model

_CASE_RELATED = ("service", "client_person", "client_organisation", "assigned_to__person", "centre")
_CONSULTATION_RELATED = ("service", "client_person", "client_organisation", "agency", "centre")
_VISIT_RELATED = ("client_person", "client_organisation", "centre")

# what a queue row shows: the item, its client and service, the sender and the receiver
QUEUE_RELATED = (
    "case__service",
    "case__client_person",
    "case__client_organisation",
    "consultation__service",
    "consultation__client_person",
    "consultation__client_organisation",
    "visit__client_person",
    "visit__client_organisation",
    "visit__centre",
    "handed_by__person",
    "accepted_by__person",
    "to_user__person",
    "to_centre",
    "to_agency",
)


@dataclass(frozen=True, slots=True)
class Official:
    """Whom the questions are about: the user's id and the centres and agencies they work for now
    (read once, from the cached role facts)."""

    user_id: int
    centre_ids: frozenset[int]
    agency_ids: frozenset[int]


def official_facts(*, user) -> Official:
    return Official(
        user_id=user.pk,
        centre_ids=frozenset(centre_ids_for_user(user=user)),
        agency_ids=frozenset(agency_ids_for_user(user=user)),
    )


def _pk(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# --- the item -------------------------------------------------------------------------------------


def handover_item_for_sender(*, user, case: str | None = None, consultation=None, visit=None):
    """The case (by number), consultation or visit (by id) the user may hand over; exactly one must be
    named. HandoverItemNotFound for a missing one, one they may not see, or a malformed reference."""
    named = [value for value in (case, consultation, visit) if value not in (None, "")]
    if len(named) != 1:
        raise HandoverItemNotFound()
    me = official_facts(user=user)
    facts = {"user_id": me.user_id, "centre_ids": me.centre_ids, "agency_ids": me.agency_ids}
    if case not in (None, ""):
        if not case_number_is_valid(case):
            raise HandoverItemNotFound()
        item = _Case.objects.select_related(*_CASE_RELATED).filter(number=case).first()
        if item is None or not rules.handover_case_visible(item, **facts):
            raise HandoverItemNotFound()
        return item
    if consultation not in (None, ""):
        pk = _pk(consultation)
        item = (
            _Consultation.objects.select_related(*_CONSULTATION_RELATED).filter(pk=pk).first() if pk else None
        )
        if item is None or not rules.handover_consultation_visible(item, **facts):
            raise HandoverItemNotFound()
        return item
    pk = _pk(visit)
    item = Visit.objects.select_related(*_VISIT_RELATED).filter(pk=pk).first() if pk else None
    if item is None or not rules.handover_visit_visible(item, user_id=me.user_id):
        raise HandoverItemNotFound()
    return item


def handover_item_kind(item) -> str:
    """ "case", "consultation" or "visit"."""
    if isinstance(item, _Case):
        return rules.ITEM_CASE
    if isinstance(item, _Consultation):
        return rules.ITEM_CONSULTATION
    if isinstance(item, Visit):
        return rules.ITEM_VISIT
    raise TypeError("a hand-over is of a case, a consultation or a visit")


def handover_item_agency_id(item) -> int | None:
    """The agency of the item's service: a case's own, a consultation's service's (else the agency
    it was recorded for); a visit has none."""
    kind = handover_item_kind(item)
    if kind == rules.ITEM_CASE:
        return item.agency_id
    if kind == rules.ITEM_CONSULTATION:
        return item.service.agency_id if item.service_id else item.agency_id
    return None


def handover_item_client(item):
    """The client the item is about (None for an anonymous consultation)."""
    return item.client_person if item.client_person_id else item.client_organisation


# --- the receivers --------------------------------------------------------------------------------


def _staff_now(scope: Q) -> QuerySet:
    """Users with an active role (begun, not ended, not revoked) matching `scope` (one subquery: a
    user with two such roles is listed once), by name."""
    now = timezone.now()
    user_model = get_user_model()
    # one filter() call: every condition is about the same role row
    holders = user_model.objects.filter(
        scope
        & Q(staff_roles__revoked_at__isnull=True, staff_roles__valid_from__lte=now)
        & (Q(staff_roles__valid_until__isnull=True) | Q(staff_roles__valid_until__gt=now))
    )
    return (
        user_model.objects.filter(pk__in=holders.values("pk"))
        .select_related("person")
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )


def handover_colleagues_for(*, user) -> QuerySet:
    """Whom the user may hand to as a colleague: the other specialists of their centres and the other
    staff of their agencies (now), by name (as `rules.handover_colleague_allowed`)."""
    me = official_facts(user=user)
    scope = Q(
        staff_roles__kind=StaffRoleKind.CENTRE_SPECIALIST, staff_roles__centre_id__in=me.centre_ids
    ) | Q(staff_roles__kind__in=AGENCY_ROLES, staff_roles__agency_id__in=me.agency_ids)
    return _staff_now(scope).exclude(pk=user.pk)


def handover_agency_staff(*, agency_id: int | None, exclude_user=None) -> QuerySet:
    """The staff of an agency now (the second-level specialists an item may go to), by name."""
    if agency_id is None:
        return get_user_model().objects.none()
    qs = _staff_now(Q(staff_roles__kind__in=AGENCY_ROLES, staff_roles__agency_id=agency_id))
    return qs.exclude(pk=exclude_user.pk) if exclude_user is not None else qs


# --- the queue ------------------------------------------------------------------------------------


def _receiver_q(me: Official) -> Q:
    return Q(to_user_id=me.user_id) | (
        Q(to_user__isnull=True) & (Q(to_centre_id__in=me.centre_ids) | Q(to_agency_id__in=me.agency_ids))
    )


def _received(*, user) -> QuerySet[Handover]:
    """Every hand-over (of any state) the user is a receiver of: as `rules.handover_is_receiver`."""
    me = official_facts(user=user)
    return Handover.objects.filter(_receiver_q(me)).exclude(handed_by_id=me.user_id)


def handovers_waiting_for(*, user) -> QuerySet[Handover]:
    """The user's queue: the hand-overs waiting for them, for one of their centres or agencies, oldest
    first, each with its item, client, service, sender and receiver (one query)."""
    return (
        _received(user=user)
        .filter(state=HandoverState.WAITING)
        .select_related(*QUEUE_RELATED)
        .order_by("created_at", "id")
    )


def handovers_waiting_count(*, user) -> int:
    return _received(user=user).filter(state=HandoverState.WAITING).count()


def handover_get_for_receiver(*, user, pk, for_update: bool = False) -> Handover:
    """A hand-over the user is a receiver of (waiting or accepted); HandoverNotFound for any other."""
    number = _pk(pk)
    qs = _received(user=user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    handover = qs.filter(pk=number).first() if number else None
    if handover is None:
        raise HandoverNotFound()
    return handover


def handovers_sent_by(*, user, limit: int = SENT_LIMIT) -> list[Handover]:
    """What the user handed over lately, newest first."""
    return list(
        Handover.objects.filter(handed_by_id=user.pk)
        .select_related(*QUEUE_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )
