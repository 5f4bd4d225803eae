"""The 360 profile of a client (concept 4.4.2.4): basic and contact data, cases with their statuses
and planned dates, consultations, invoices and whether they are paid, delegations and legal
representations, documents and the notices sent — read from each app's public selectors, a fixed
number of queries whatever the client's history (each list: its newest rows and its total in one
query).

Who may open whose profile, and the audit event of opening it, are the caller's (the visit flow):
this module only reads."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from catalogue import selectors as catalogue_selectors
from delegation import selectors as delegation_selectors
from eaccount import selectors as eaccount_selectors
from kernel.constants import PartyKind
from kernel.parties import is_person
from notifications import selectors as notification_selectors
from payments import selectors as payment_selectors
from requests_registry import selectors as case_selectors

# each list shows its newest rows, and says how many there are in all
PROFILE_SECTION_LIMIT = 20


@dataclass(frozen=True)
class Section:
    """The newest rows of one list (`items`, at most PROFILE_SECTION_LIMIT) and how many in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.items)

    @classmethod
    def of(cls, head: tuple[list, int]) -> Section:
        items, total = head
        return cls(items=list(items), total=total)


@dataclass(frozen=True)
class BasicData:
    """Who the client is: a person (name, personal codes, birth date) or an organisation (name,
    registration number, liquidation)."""

    kind: str  # kernel.constants.PartyKind
    name: str
    identifier: str  # the personal code or the registration number
    previous_identifier: str = ""  # a person's previous personal code
    birth_date: Any = None
    is_minor: bool = False
    has_eid: bool | None = None  # a person's; None for an organisation
    address: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON


@dataclass(frozen=True)
class ClientProfile:
    party: Any  # eaccount's Person or Organisation
    agency_view: bool  # limited to the services of the viewer's agencies
    basic: BasicData
    contacts: Any  # eaccount.selectors.ContactDetails
    register: Any  # eaccount.selectors.RegisterFacts; None in the agency view
    representations: list  # eaccount.selectors.Representation
    cases: Section
    consultations: Section
    invoices: Section
    delegations: Section  # delegation.selectors.DelegationFacts
    documents: Section
    notices: Section


def _basic(party) -> BasicData:
    if is_person(party):
        return BasicData(
            kind=PartyKind.PERSON,
            name=party.full_name,
            identifier=party.personal_code,
            previous_identifier=party.previous_personal_code or "",
            birth_date=party.birth_date,
            is_minor=party.is_minor,
            has_eid=party.has_eid,
            address=party.address,
        )
    return BasicData(
        kind=PartyKind.ORGANISATION,
        name=party.name,
        identifier=party.registration_number,
        address=party.address,
    )


def client_profile(*, party, agency_ids: Collection[int] | None = None) -> ClientProfile:
    """The profile of `party` (an eaccount Person or Organisation already read).

    `agency_ids=None`: the one-stop centre specialist's whole view. A set: an agency's staff's view,
    limited to those agencies' services — what it leaves out:

    - cases, consultations and invoices of other agencies' services (a consultation counts as theirs
      when they gave it or it was about one of their services);
    - delegations covering only other agencies' services (one covering every delegable service is
      kept), and from a kept delegation its other agencies' services;
    - documents delivered to the e-account for other services or for none;
    - notices of other agencies or of none (a login notice, say);
    - the register's identity documents and liquidation (`register` is None): the identity check
      is the centre's.

    The basic and contact data and the legal representations (parents, minor children, board
    members) are in both views: they say who the client is and who may act for them.

    Queries, whatever the number of rows: the centre's view 11 for a person, 10 for an organisation
    (the contact details' pending address, register data, 1–2 for representations, one per list, one
    more for the services of the delegations found); the agency's view one more (its services' codes)
    and none for register data. A list with no rows may take one fewer."""
    limit = PROFILE_SECTION_LIMIT
    agency_view = agency_ids is not None
    ids = set(agency_ids) if agency_view else None
    service_codes = None
    if agency_view:
        service_codes = {s.code for s in catalogue_selectors.services_of_agencies(agency_ids=ids)}
    return ClientProfile(
        party=party,
        agency_view=agency_view,
        basic=_basic(party),
        contacts=eaccount_selectors.contact_details(party=party),
        register=None if agency_view else eaccount_selectors.register_facts_of(party=party),
        representations=eaccount_selectors.representations_of(party=party),
        cases=Section.of(case_selectors.cases_of_client(party=party, agency_ids=ids, limit=limit)),
        consultations=Section.of(
            case_selectors.consultations_of_client(party=party, agency_ids=ids, limit=limit)
        ),
        invoices=Section.of(payment_selectors.invoices_of_client(party=party, agency_ids=ids, limit=limit)),
        delegations=Section.of(
            delegation_selectors.delegations_of_client(party=party, agency_ids=ids, limit=limit)
        ),
        documents=Section.of(
            eaccount_selectors.documents_of_party(party=party, service_codes=service_codes, limit=limit)
        ),
        notices=Section.of(
            notification_selectors.notifications_of_client(party=party, agency_ids=ids, limit=limit)
        ),
    )
