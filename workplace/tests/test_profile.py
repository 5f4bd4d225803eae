"""The 360 profile of a client (workplace.selectors.profile): what the centre's specialist sees,
what an agency's staff see (their agency's services only), a fixed number of queries whatever the
client's history, and the partial template."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from delegation.models import Delegation
from eaccount.models import Document, RegisterDocument
from kernel.actors import Actor
from payments import services as payment_services
from payments.constants import InvoiceKind, PaymentSource
from payments.tests.factories import FeeServiceFactory
from requests_registry.constants import CaseStatus, Channel, ConsultationOutcome
from requests_registry.models import Consultation
from requests_registry.tests.factories import (
    AgencyFactory,
    BoardMembershipFactory,
    CaseFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    UserFactory,
)
from workplace.selectors.profile import PROFILE_SECTION_LIMIT, client_profile

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("tests")
_serials = itertools.count(1)


@pytest.fixture
def mine():
    return AgencyFactory(code="VSAA", name_lv="Valsts sociālās apdrošināšanas aģentūra")


@pytest.fixture
def other():
    return AgencyFactory(code="PMLP", name_lv="Pilsonības un migrācijas lietu pārvalde")


@pytest.fixture
def my_service(mine):
    return FeeServiceFactory(agency=mine, title_lv="Bērna kopšanas pabalsts", title_en="Childcare benefit")


@pytest.fixture
def other_service(other):
    return FeeServiceFactory(agency=other, title_lv="Pases izsniegšana", title_en="Passport issue")


@pytest.fixture
def client_person():
    return PersonFactory(first_name="Anna", last_name="Bērziņa", phone="+37120000001", address="Rīgas iela 1")


def case_of(party, service, **fields):
    client = (
        {"client_person": party}
        if party.party_kind == "person"
        else {
            "client_person": None,
            "client_organisation": party,
        }
    )
    return CaseFactory(service=service, **client, **fields)


def invoice_of(case, *, paid: bool = False):
    invoice = payment_services.invoice_issue(actor=SYSTEM, case=case, kind=InvoiceKind.PREPAYMENT)
    if paid:
        payment_services.payment_record(
            actor=SYSTEM,
            invoice=invoice,
            amount=invoice.amount,
            source=PaymentSource.MANUAL,
            source_key=f"test-{invoice.pk}",
            paid_on=timezone.localdate(),
        )
    return invoice


def consultation_of(party, service, topic: str):
    return Consultation.objects.create(
        service=service,
        agency=service.agency,
        channel=Channel.PHONE,
        client_person=party,
        topic=topic,
        duration_minutes=5,
        consulted_by=UserFactory(),
        outcome=ConsultationOutcome.ANSWERED,
    )


def document_of(party, service, title: str):
    return Document.objects.create(
        person=party,
        title=title,
        file=f"eaccount/documents/test-{next(_serials)}.pdf",
        original_name="lemums.pdf",
        issuer_label=service.agency.name,
        service_code=service.code,
    )


def delegation(principal, agent, *services):
    made = Delegation.objects.create(principal_person=principal, agent=agent)
    made.services.set(services)
    return made


def history(party, service, n: int) -> None:
    """n cases with an invoice each (every other one paid), n consultations, n documents, n delegations."""
    for i in range(n):
        invoice_of(case_of(party, service), paid=i % 2 == 0)
        consultation_of(party, service, f"Jautājums {i}")
        document_of(party, service, f"Lēmums {i}")
        delegation(party, PersonFactory(), service)


# --- the specialist's whole view --------------------------------------------------------------------


def test_profile_has_the_clients_basic_and_contact_data(client_person):
    profile = client_profile(party=client_person)

    assert profile.basic.name == "Anna Bērziņa"
    assert profile.basic.identifier == client_person.personal_code
    assert profile.contacts.email == client_person.email
    assert profile.contacts.phone == "+37120000001"
    assert profile.agency_view is False


def test_profile_lists_the_cases_of_every_agency_with_status_and_planned_date(
    client_person, my_service, other_service
):
    planned = timezone.localdate() + datetime.timedelta(days=7)
    mine = case_of(client_person, my_service, status=CaseStatus.IN_PROGRESS, planned_completion=planned)
    theirs = case_of(client_person, other_service)
    case_of(PersonFactory(), my_service)  # another client's

    profile = client_profile(party=client_person)

    assert [c.number for c in profile.cases.items] == [theirs.number, mine.number]
    assert profile.cases.items[1].status == CaseStatus.IN_PROGRESS
    assert profile.cases.items[1].planned_completion == planned
    assert profile.cases.items[1].service.code == my_service.code
    assert profile.cases.total == 2


def test_profile_shows_the_newest_cases_and_counts_them_all(client_person, my_service):
    cases = [case_of(client_person, my_service) for _ in range(PROFILE_SECTION_LIMIT + 3)]

    profile = client_profile(party=client_person)

    assert len(profile.cases.items) == PROFILE_SECTION_LIMIT
    assert profile.cases.total == PROFILE_SECTION_LIMIT + 3
    assert profile.cases.more
    assert profile.cases.items[0].number == cases[-1].number


def test_profile_says_whether_each_invoice_is_paid(client_person, my_service):
    paid = invoice_of(case_of(client_person, my_service), paid=True)
    unpaid = invoice_of(case_of(client_person, my_service))

    profile = client_profile(party=client_person)

    by_id = {invoice.pk: invoice for invoice in profile.invoices.items}
    assert by_id[paid.pk].is_paid is True
    assert by_id[unpaid.pk].is_paid is False
    assert profile.invoices.total == 2


def test_profile_lists_the_consultations_given_to_the_client(client_person, my_service):
    consultation_of(client_person, my_service, "Kā pieteikt pabalstu")
    consultation_of(PersonFactory(), my_service, "Cita klienta jautājums")

    profile = client_profile(party=client_person)

    assert [c.topic for c in profile.consultations.items] == ["Kā pieteikt pabalstu"]


def test_profile_lists_delegations_given_and_received(client_person, my_service):
    agent = PersonFactory(first_name="Kārlis", last_name="Liepa")
    delegator = PersonFactory(first_name="Ilze", last_name="Ozola")
    delegation(client_person, agent, my_service)
    delegation(delegator, client_person)
    revoked = delegation(client_person, PersonFactory())
    Delegation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    profile = client_profile(party=client_person)

    facts = {(d.given, d.other_name): d for d in profile.delegations.items}
    assert set(facts) == {(True, "Kārlis Liepa"), (False, "Ilze Ozola")}
    assert [s.code for s in facts[True, "Kārlis Liepa"].services] == [my_service.code]
    assert facts[False, "Ilze Ozola"].every_service


def test_profile_lists_legal_representation_both_ways(client_person):
    child = ParentChildFactory(parent=client_person).child
    company = BoardMembershipFactory(person=client_person).organisation

    profile = client_profile(party=client_person)

    assert {(r.relation, r.name) for r in profile.representations} == {
        ("child", child.full_name),
        ("company", company.name),
    }


def test_profile_of_an_organisation_names_its_board_and_its_cases(my_service):
    company = OrganisationFactory(name="SIA Demo Koks")
    member = BoardMembershipFactory(organisation=company).person
    case = case_of(company, my_service)

    profile = client_profile(party=company)

    assert profile.basic.name == "SIA Demo Koks"
    assert [(r.relation, r.name) for r in profile.representations] == [("board_member", member.full_name)]
    assert [c.number for c in profile.cases.items] == [case.number]


def test_profile_lists_documents_register_documents_and_notices(client_person, my_service):
    document_of(client_person, my_service, "Lēmums par pabalstu")
    RegisterDocument.objects.create(
        person=client_person, kind="passport", number="LV1234567", expires_on=datetime.date(2030, 1, 1)
    )
    invoice_of(case_of(client_person, my_service))  # tells the payer: payment_due

    profile = client_profile(party=client_person)

    assert [d.title for d in profile.documents.items] == ["Lēmums par pabalstu"]
    assert [d.number for d in profile.register.documents] == ["LV1234567"]
    assert {n.topic for n in profile.notices.items} == {"payment_due"}
    assert all(n.topic_label for n in profile.notices.items)


# --- the agency's view ------------------------------------------------------------------------------


def test_agency_view_leaves_out_what_is_another_agencys(client_person, mine, my_service, other_service):
    my_case = case_of(client_person, my_service)
    invoice_of(my_case)
    invoice_of(case_of(client_person, other_service))
    consultation_of(client_person, my_service, "Mans")
    consultation_of(client_person, other_service, "Svešs")
    document_of(client_person, my_service, "Mans lēmums")
    document_of(client_person, other_service, "Svešs lēmums")
    delegation(client_person, PersonFactory(first_name="Mans", last_name="Pilnvarotais"), my_service)
    delegation(client_person, PersonFactory(first_name="Svešs", last_name="Pilnvarotais"), other_service)

    profile = client_profile(party=client_person, agency_ids={mine.pk})

    assert [c.number for c in profile.cases.items] == [my_case.number]
    assert [i.case.number for i in profile.invoices.items] == [my_case.number]
    assert [c.topic for c in profile.consultations.items] == ["Mans"]
    assert [d.title for d in profile.documents.items] == ["Mans lēmums"]
    assert [d.other_name for d in profile.delegations.items] == ["Mans Pilnvarotais"]
    assert {n.service_code for n in profile.notices.items} == {my_service.code}
    assert profile.register is None
    assert (profile.cases.total, profile.invoices.total) == (1, 1)
    assert profile.notices.total == len(profile.notices.items)


def test_agency_view_shows_only_its_services_of_a_delegation_covering_several(
    client_person, mine, my_service, other_service
):
    delegation(client_person, PersonFactory(), my_service, other_service)

    profile = client_profile(party=client_person, agency_ids={mine.pk})

    assert [s.code for s in profile.delegations.items[0].services] == [my_service.code]


# --- a fixed number of queries ----------------------------------------------------------------------


@pytest.mark.parametrize("agency_view", [False, True], ids=["centre", "agency"])
def test_the_profile_takes_as_many_queries_for_30_items_as_for_1(
    agency_view, mine, my_service, django_assert_num_queries
):
    light, heavy = PersonFactory(), PersonFactory()
    for party in (light, heavy):
        ParentChildFactory(parent=party)
        RegisterDocument.objects.create(
            person=party, kind="id_card", number=f"PA{party.pk:07d}", expires_on=datetime.date(2031, 1, 1)
        )
    history(light, my_service, 1)
    history(heavy, my_service, 30)
    agency_ids = {mine.pk} if agency_view else None
    expected = 11  # the agency's view: one for its services' codes, none for register data

    with django_assert_num_queries(expected):
        client_profile(party=light, agency_ids=agency_ids)

    with django_assert_num_queries(expected):
        heavy_profile = client_profile(party=heavy, agency_ids=agency_ids)

    assert heavy_profile.cases.total == heavy_profile.invoices.total == 30
    assert len(heavy_profile.consultations.items) == PROFILE_SECTION_LIMIT


# --- the partial template ---------------------------------------------------------------------------


def agency_case_url(case) -> str:
    return reverse("requests_registry:agency-case-detail", kwargs={"number": case.number})


def render(profile, *, links_to_cases: bool = False) -> str:
    with translation.override("en"):
        return render_to_string(
            "workplace/_profile.html", {"profile": profile, "links_to_cases": links_to_cases}
        )


def test_template_shows_each_section_in_words(client_person, my_service):
    case = case_of(client_person, my_service, status=CaseStatus.NEEDS_INFO)
    invoice_of(case, paid=True)
    consultation_of(client_person, my_service, "Kā pieteikt pabalstu")
    document_of(client_person, my_service, "Lēmums par pabalstu")
    delegation(client_person, PersonFactory(first_name="Kārlis", last_name="Liepa"), my_service)

    html = render(client_profile(party=client_person))

    assert "Anna Bērziņa" in html
    assert case.number in html
    assert "Information requested" in html
    assert f"{my_service.fee_eur:.2f}&nbsp;€" in html
    assert ">paid<" in html
    assert "Kā pieteikt pabalstu" in html
    assert "Lēmums par pabalstu" in html
    assert "Childcare benefit" in html
    assert "Kārlis Liepa" in html
    assert "A payment is due" in html
    assert agency_case_url(case) not in html  # the centre's specialist gets no link to the staff's page


def test_template_says_not_paid_and_how_many_there_are(client_person, my_service):
    for _ in range(PROFILE_SECTION_LIMIT + 2):
        invoice_of(case_of(client_person, my_service))

    html = render(client_profile(party=client_person))

    assert "not paid" in html
    assert f"the newest {PROFILE_SECTION_LIMIT} of {PROFILE_SECTION_LIMIT + 2}" in html


def test_template_for_agency_staff_links_cases_and_shows_nothing_of_another_agency(
    client_person, mine, my_service, other_service
):
    mine_case = case_of(client_person, my_service)
    other_case = case_of(client_person, other_service)
    invoice_of(other_case)
    consultation_of(client_person, other_service, "Svešs jautājums")
    document_of(client_person, other_service, "Svešs lēmums")

    html = render(client_profile(party=client_person, agency_ids={mine.pk}), links_to_cases=True)

    assert f'href="{agency_case_url(mine_case)}"' in html
    assert other_case.number not in html
    assert "Passport issue" not in html
    assert "Svešs" not in html


def test_an_organisations_profile_takes_a_fixed_number_of_queries(my_service, django_assert_num_queries):
    company = OrganisationFactory()
    BoardMembershipFactory(organisation=company)
    Delegation.objects.create(principal_organisation=company, agent=PersonFactory())
    for _ in range(3):
        case_of(company, my_service)

    with django_assert_num_queries(10):  # as a person's, less the second representation query
        profile = client_profile(party=company)

    assert profile.cases.total == 3
