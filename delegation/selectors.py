"""Whom a user may act for, and on what basis: "may this actor act for this principal now?".

Sources: oneself; one's minor children and the organisations where one is a board member today
(legal representation, from register data in the e-account); and delegations in force today (a
principal lets an agent act for every delegable service or listed ones, for a period).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone
from django.utils.translation import get_language

from kernel.collation import latvian
from kernel.parties import party_kind

from .constants import Basis, PrincipalKind
from .models import Delegation


@dataclass(frozen=True)
class Principal:
    kind: str  # PrincipalKind
    id: int
    label: str
    basis: str  # Basis
    obj: Any = field(default=None, compare=False, repr=False, hash=False)
    # for a delegation: the codes of the services it covers; None = every delegable service
    service_codes: frozenset[str] | None = field(default=None, compare=False, repr=False, hash=False)

    def covers(self, service) -> bool:
        """May the user act for this principal on `service`? (Representation covers every service.)"""
        if self.basis != Basis.DELEGATION:
            return True
        if service is None:
            return False
        if not getattr(service, "delegable", True):
            return False
        return self.service_codes is None or service.code in self.service_codes

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def is_self(self) -> bool:
        return self.basis == Basis.SELF

    @property
    def is_person(self) -> bool:
        return self.kind == PrincipalKind.PERSON

    def __str__(self) -> str:
        return self.label


PRINCIPALS_SECONDS = 300


def _principals_key(person_id: int) -> str:
    return f"principals:{person_id}"


def principals_for(*, user) -> list[Principal]:
    """Self first, then minor children, then organisations the user's person is on the board of
    today, then those who delegated to them.

    Three queries at most, whatever the number of principals. The answer is kept for the day on the
    user object (one request) and in the cache (PRINCIPALS_SECONDS at most): a change of a parent
    link, a board membership or a delegation forgets it (delegation.apps connects the signals).
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "person_id", None):
        return []
    today = timezone.localdate()
    cached = getattr(user, "_delegation_principals", None)
    if cached is not None and cached[0] == (today, user.person_id):
        return list(cached[1])
    entry = cache.get(_principals_key(user.person_id))
    if entry is not None and entry[0] == today:
        principals = list(entry[1])
    else:
        principals = _principals_load(user=user, today=today)
        cache.set(_principals_key(user.person_id), (today, tuple(principals)), PRINCIPALS_SECONDS)
    user._delegation_principals = ((today, user.person_id), tuple(principals))
    return principals


def principals_forget(*, user) -> None:
    """Drop the kept answer of principals_for (after a change of register data in the same request)."""
    if hasattr(user, "_delegation_principals"):
        del user._delegation_principals
    if getattr(user, "person_id", None):
        principals_forget_person(person_id=user.person_id)


def principals_forget_person(*, person_id: int | None) -> None:
    if person_id:
        cache.delete(_principals_key(person_id))


def _principals_load(*, user, today) -> list[Principal]:
    person = user.person
    principals = [Principal(PrincipalKind.PERSON, person.pk, person.full_name, Basis.SELF, person)]
    for link in person.children_links.select_related("child").order_by("child__birth_date", "child_id"):
        child = link.child
        if child.is_minor:
            principals.append(
                Principal(PrincipalKind.PERSON, child.pk, child.full_name, Basis.LEGAL_REPRESENTATION, child)
            )
    memberships = (
        person.board_memberships.select_related("organisation")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by(latvian("organisation__name"), "organisation_id")
    )
    for membership in memberships:
        organisation = membership.organisation
        principals.append(
            Principal(
                PrincipalKind.ORGANISATION,
                organisation.pk,
                organisation.name,
                Basis.LEGAL_REPRESENTATION,
                organisation,
            )
        )
    seen = {(p.kind, p.id) for p in principals}
    delegations = (
        Delegation.objects.active(on=today)
        .filter(agent=person)
        .select_related("principal_person", "principal_organisation")
        .prefetch_related("services")
        .order_by("created_at", "id")
    )
    delegated: dict[tuple[str, int], Principal] = {}
    for delegation in delegations:
        codes = frozenset(service.code for service in delegation.services.all()) or None
        if delegation.principal_person_id:
            kind, obj = PrincipalKind.PERSON, delegation.principal_person
            label = obj.full_name
        else:
            kind, obj = PrincipalKind.ORGANISATION, delegation.principal_organisation
            label = obj.name
        if (kind, obj.pk) in seen:  # representation already covers every service
            continue
        earlier = delegated.get((kind, obj.pk))
        if earlier is not None:  # two delegations of one principal: the union of their services
            codes = None if earlier.service_codes is None or codes is None else earlier.service_codes | codes
        delegated[(kind, obj.pk)] = Principal(kind, obj.pk, label, Basis.DELEGATION, obj, codes)
    principals.extend(delegated.values())
    return principals


def principal_get(*, user, key: str) -> Principal | None:
    """The user's principal with this key ("person:12"), or None if the user may not act for it."""
    for principal in principals_for(user=user):
        if principal.key == key:
            return principal
    return None


def principal_self(*, user) -> Principal | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "person_id", None):
        return None
    person = user.person
    return Principal(PrincipalKind.PERSON, person.pk, person.full_name, Basis.SELF, person)


def _kind_of(client) -> str:
    return party_kind(client)


def basis_for(*, user, client, service=None) -> str | None:
    """On what basis `user` may act for `client` (a Person or an Organisation) now — on `service`,
    when given (a delegation may list services; without a service a delegation counts as a basis
    to see the principal's cases of those services); None if not at all."""
    if client is None:
        return None
    kind = _kind_of(client)
    for principal in principals_for(user=user):
        if principal.kind == kind and principal.id == client.pk:
            if service is not None and not principal.covers(service):
                return None
            return principal.basis
    return None


def delegations_in_force_given(*, principal, on=None) -> list[Delegation]:
    """The delegations a principal has given that are in force on `on` (today): `Delegation.active`."""
    field_name = (
        "principal_organisation" if _kind_of(principal) == PrincipalKind.ORGANISATION else "principal_person"
    )
    return list(
        Delegation.objects.active(on=on)
        .filter(**{field_name: principal})
        .select_related("agent")
        .prefetch_related("services")
        .order_by("-created_at", "-id")
    )


def delegations_given(*, principal) -> list[Delegation]:
    """The delegations a principal (a Person or an Organisation) has given, newest first."""
    field_name = (
        "principal_organisation" if _kind_of(principal) == PrincipalKind.ORGANISATION else "principal_person"
    )
    return list(
        Delegation.objects.filter(**{field_name: principal})
        .select_related("agent")
        .prefetch_related("services")
        .order_by("-created_at", "-id")
    )


def principal_ids_for(*, user) -> tuple[set[int], set[int]]:
    """(person ids, organisation ids) the user may act for: for filtering cases in one query."""
    persons: set[int] = set()
    organisations: set[int] = set()
    for principal in principals_for(user=user):
        (persons if principal.is_person else organisations).add(principal.id)
    return persons, organisations


# --- an official's profile of a client (workplace.selectors.profile) --------------------------------


@dataclass(frozen=True, slots=True)
class DelegatedService:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class DelegationFacts:
    """One delegation in force, seen from the client: `given` (the client let `other_name` act for
    them) or received (the client may act for `other_name`)."""

    id: int
    given: bool
    other_name: str
    services: tuple[DelegatedService, ...]  # empty = every delegable service
    valid_from: Any
    valid_until: Any

    @property
    def every_service(self) -> bool:
        return not self.services


def _title(row: dict) -> str:
    english = row["service__title_en"]
    return english if english and get_language() == "en" else row["service__title_lv"]


def delegations_of_client(
    *, party, agency_ids: Collection[int] | None = None, limit: int = 20, on=None
) -> tuple[list[DelegationFacts], int]:
    """The delegations in force (`Delegation.active`) the party gave and, for a person, those they
    received, newest first, with the services each covers. With `agency_ids` (an agency's staff):
    only delegations covering a service of those agencies or every delegable service, and of their
    services only those agencies' ones. `(the newest `limit`, how many in all)`: two queries (the
    delegations with the total, then their services), one when there are none."""
    through = Delegation.services.through
    if party_kind(party) == PrincipalKind.ORGANISATION:
        condition = Q(principal_organisation_id=party.pk)
    else:
        condition = Q(principal_person_id=party.pk) | Q(agent_id=party.pk)
    qs = Delegation.objects.active(on=on).filter(condition)
    services = through.objects.all()
    if agency_ids is not None:
        ids = sorted(agency_ids)
        services = services.filter(service__agency_id__in=ids)
        qs = qs.filter(
            Exists(services.filter(delegation_id=OuterRef("pk")))
            | ~Exists(through.objects.filter(delegation_id=OuterRef("pk")))
        )
    delegations = list(
        qs.select_related("principal_person", "principal_organisation", "agent")
        .only(
            "id",
            "valid_from",
            "valid_until",
            "principal_person",
            "principal_organisation",
            "agent",
            "principal_person__first_name",
            "principal_person__last_name",
            "principal_organisation__name",
            "agent__first_name",
            "agent__last_name",
        )
        .annotate(profile_total=Window(Count("pk")))
        .order_by("-created_at", "-id")[:limit]
    )
    if not delegations:
        return [], 0
    by_delegation: dict[int, list[DelegatedService]] = {}
    for row in (
        services.filter(delegation_id__in=[d.pk for d in delegations])
        .values("delegation_id", "service__code", "service__title_lv", "service__title_en")
        .order_by("service__code")
    ):
        by_delegation.setdefault(row["delegation_id"], []).append(
            DelegatedService(code=row["service__code"], title=_title(row))
        )
    facts = []
    for delegation in delegations:
        given = (
            delegation.principal_organisation_id == party.pk
            if party_kind(party) == PrincipalKind.ORGANISATION
            else delegation.principal_person_id == party.pk
        )
        other = delegation.agent.full_name if given else str(delegation.principal)
        facts.append(
            DelegationFacts(
                id=delegation.pk,
                given=given,
                other_name=other,
                services=tuple(by_delegation.get(delegation.pk, ())),
                valid_from=delegation.valid_from,
                valid_until=delegation.valid_until,
            )
        )
    return facts, delegations[0].profile_total
