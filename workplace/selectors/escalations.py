"""Escalations: the supervisors' list, one escalation for its supervisor ("not found" for missing and
forbidden alike), whom it may be reassigned to, and whom a run of the job tells."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from eaccount.constants import AGENCY_ROLES, StaffRoleKind
from eaccount.selectors import agency_ids_administered, centre_ids_administered
from kernel.collation import latvian
from requests_registry.constants import OPEN_STATUSES

from ..exceptions import EscalationNotFound
from ..models import Escalation
from ..rules import escalations as rules

# what a row of the list shows: the case or consultation, its service and client
LIST_RELATED = (
    "case__service",
    "case__client_person",
    "case__client_organisation",
    "consultation__service",
    "consultation__client_person",
    "consultation__client_organisation",
)


@dataclass(frozen=True, slots=True)
class Supervision:
    """The centres and agencies a user administers now (read once, from the cached role facts)."""

    centre_ids: frozenset[int]
    agency_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.centre_ids or self.agency_ids)


def supervision_of(*, user) -> Supervision:
    return Supervision(
        centre_ids=frozenset(centre_ids_administered(user=user)),
        agency_ids=frozenset(agency_ids_administered(user=user)),
    )


def user_is_supervisor(*, user) -> bool:
    """A centre's admin or an agency's admin now: who has an escalations list."""
    return bool(supervision_of(user=user))


def _pk(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _supervised(me: Supervision) -> QuerySet[Escalation]:
    """Every escalation (open or not) of the centres and agencies `me` administers (as
    `rules.escalation_supervised_by`)."""
    if not me:
        return Escalation.objects.none()
    return Escalation.objects.filter(Q(centre_id__in=me.centre_ids) | Q(agency_id__in=me.agency_ids))


def escalations_for_supervisor(*, user) -> QuerySet[Escalation]:
    """The open escalations of the user's administered centres and agencies, newest first, each with
    its case or consultation, service and client (one query). A case closed since it was escalated
    is left out: nothing is left to reassign."""
    return (
        _supervised(supervision_of(user=user))
        .filter(resolved_at__isnull=True)
        .filter(Q(case__isnull=True) | Q(case__status__in=sorted(OPEN_STATUSES)))
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")
    )


def escalation_get_for_supervisor(*, user, pk, for_update: bool = False) -> Escalation:
    """One escalation the user supervises (open or not); EscalationNotFound for any other."""
    number = _pk(pk)
    qs = _supervised(supervision_of(user=user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    escalation = qs.select_related("case", "consultation").filter(pk=number).first() if number else None
    if escalation is None:
        raise EscalationNotFound()
    return escalation


# --- people with roles now ---------------------------------------------------------------------------


def _active_role(scope: Q, now) -> Q:
    """One filter() call: every condition is about the same role row."""
    return (
        scope
        & Q(staff_roles__revoked_at__isnull=True, staff_roles__valid_from__lte=now)
        & (Q(staff_roles__valid_until__isnull=True) | Q(staff_roles__valid_until__gt=now))
    )


def _assignee_scope(*, agency_ids: Collection[int], centre_ids: Collection[int]) -> Q:
    return Q(staff_roles__kind__in=sorted(AGENCY_ROLES), staff_roles__agency_id__in=list(agency_ids)) | Q(
        staff_roles__kind=StaffRoleKind.CENTRE_SPECIALIST, staff_roles__centre_id__in=list(centre_ids)
    )


def _by_name(qs: QuerySet) -> QuerySet:
    return qs.select_related("person").order_by(
        latvian("person__last_name"), latvian("person__first_name"), "pk"
    )


def escalation_assignees(*, escalation: Escalation) -> QuerySet:
    """Whom it may be reassigned to now (as `rules.escalation_assignee_allowed`): staff of its agency
    and specialists of its centre, by name."""
    user_model = get_user_model()
    scope = _assignee_scope(
        agency_ids=[escalation.agency_id] if escalation.agency_id else [],
        centre_ids=[escalation.centre_id] if escalation.centre_id else [],
    )
    holders = user_model.objects.filter(_active_role(scope, timezone.now()), is_active=True)
    return _by_name(user_model.objects.filter(pk__in=holders.values("pk")))


@dataclass(slots=True)
class _Holder:
    """A user and the agencies and centres of their matching roles."""

    user: object
    agency_ids: set[int] = field(default_factory=set)
    centre_ids: set[int] = field(default_factory=set)


def _holders(scope: Q) -> list[_Holder]:
    """The active users with an active role matching `scope`, each with the agencies and centres of
    those roles (one query: a row per role), by name."""
    rows = _by_name(
        get_user_model()
        .objects.filter(_active_role(scope, timezone.now()), is_active=True)
        .annotate(
            role_kind=F("staff_roles__kind"),
            role_agency=F("staff_roles__agency_id"),
            role_centre=F("staff_roles__centre_id"),
        )
    )
    people: dict[int, _Holder] = {}
    for user in rows:
        holder = people.setdefault(user.pk, _Holder(user))
        if user.role_agency:
            holder.agency_ids.add(user.role_agency)
        if user.role_centre:
            holder.centre_ids.add(user.role_centre)
    return list(people.values())


def escalation_assignees_for(*, escalations: Iterable[Escalation]) -> dict[int, list]:
    """{escalation id: whom it may be reassigned to, by name}, for a page of escalations in one query
    (as `escalation_assignees`)."""
    escalations = list(escalations)
    agency_ids = {e.agency_id for e in escalations if e.agency_id}
    centre_ids = {e.centre_id for e in escalations if e.centre_id}
    holders = _holders(_assignee_scope(agency_ids=agency_ids, centre_ids=centre_ids)) if escalations else []
    return {
        escalation.pk: [
            holder.user
            for holder in holders
            if rules.escalation_assignee_allowed(
                escalation, staff_agency_ids=holder.agency_ids, specialist_centre_ids=holder.centre_ids
            )
        ]
        for escalation in escalations
    }


def supervisors_of(*, centre_ids: Collection[int], agency_ids: Collection[int]) -> list[_Holder]:
    """The supervisors now of any of these centres (centre_admin) or agencies (agency_admin) who have a
    Person to be told, each with the centres and agencies of theirs among these (one query)."""
    scope = Q(staff_roles__kind=StaffRoleKind.CENTRE_ADMIN, staff_roles__centre_id__in=list(centre_ids)) | Q(
        staff_roles__kind=StaffRoleKind.AGENCY_ADMIN, staff_roles__agency_id__in=list(agency_ids)
    )
    return [holder for holder in _holders(scope) if holder.user.person_id]
