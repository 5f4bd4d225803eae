"""The "who looked at my data" page: the reads of the data of whom the user acts for, in two lists.

The person themselves and their legal representatives (a parent of a minor, a board member of a
company) see the page; a delegate gets "not found"; anyone else sees only their own data's reads,
and a forged principal key in the session changes nothing. Each list is one query a page.

The reads are written here with `audit.services.record` in the shape the request registry keeps them
(its own tests check that its pages and API do): the e-account sits below the registry. Whom the user
acts for is chosen through the delegation app's page (by URL name).
"""

import itertools

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import audit.services as audit
from audit.models import AuditEvent, Reader
from catalogue.tests.factories import ServiceFactory
from eaccount.access_log import ACCESS_LOG_PAGE_SIZE
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    StaffRoleFactory,
    UserFactory,
)
from kernel.actors import Actor
from kernel.constants import AssuranceLevel, Basis

pytestmark = pytest.mark.django_db

URL = "/account/access-log/"
_numbers = itertools.count(1)


def login(client, user, level: str = AssuranceLevel.HIGH):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = level
    session.save()


def act_for(client, user, key: str) -> None:
    login(client, user)
    response = client.post(reverse("delegation:act-for"), {"principal": key})
    assert response.status_code == 302


def official_read(subject, *, official=None, number: str | None = None) -> AuditEvent:
    official = official or StaffRoleFactory().user
    number = number or f"1011-{next(_numbers):07d}"
    return audit.record(
        action="case.view",
        actor=Actor(user=official),
        subject=subject,
        object_type="requests_registry.case",
        object_id=1,
        reason=f"case processing: {number}",
        data={
            "number": number,
            "what": "case",
            "reader": Reader.OFFICIAL,
            "agency": "Valsts sociālās apdrošināšanas aģentūra",
            "agency_en": "State Social Insurance Agency",
            "agency_code": "VSAA",
            "purpose": "case_processing",
        },
    )


def api_read(subject, *, number: str = "1011-0000042") -> AuditEvent:
    return audit.record(
        action="case.api_read",
        actor=Actor(system_label="API: VSAA back office (VSAA)"),
        subject=subject,
        reason="VSAA back office",
        data={
            "number": number,
            "what": "case",
            "reader": Reader.AGENCY_SYSTEM,
            "agency": "Valsts sociālās apdrošināšanas aģentūra",
            "agency_en": "",
            "purpose": "api",
            "api_client": "VSAA back office",
            "via": "detail",
        },
    )


def own_read(subject, *, reader_user, basis: str = Basis.SELF, number: str = "1011-0000007") -> AuditEvent:
    return audit.record(
        action="case.view",
        actor=Actor(user=reader_user),
        acting_for=subject,
        subject=subject,
        data={"number": number, "what": "case", "reader": Reader.CLIENT, "basis": basis},
    )


def rows(response, name: str) -> list:
    return list(response.context[name].object_list)


@pytest.fixture
def owner():
    return UserFactory()


def test_the_owner_sees_officials_and_own_reads_in_separate_lists_newest_first(client, owner):
    person = owner.person
    official = StaffRoleFactory().user
    first = official_read(person, official=official, number="1011-0000001")
    api_read(person, number="1011-0000002")
    own_read(person, reader_user=owner, number="1011-0000003")
    official_read(UserFactory().person)  # someone else's data
    login(client, owner)

    response = client.get(URL)

    assert response.status_code == 200
    officials = rows(response, "officials")
    assert [r.number for r in officials] == ["1011-0000002", "1011-0000001"]  # newest first
    api, staff = officials
    assert api.who == "VSAA back office" and api.via_api and api.institution.startswith("Valsts")
    assert "VSAA back office" in api.why
    assert staff.who == str(official) and not staff.via_api and "1011-0000001" in staff.why
    assert staff.at == first.at
    own = rows(response, "own")
    assert [(r.number, r.by_viewer) for r in own] == [("1011-0000003", True)]
    body = response.content.decode()
    assert 'href="/cases/1011-0000001/"' in body  # the case, linked: its owner may open it
    assert 'role="region"' in body and 'aria-labelledby="access-officials"' in body


def test_the_institution_is_shown_in_the_pages_language(client, owner):
    official_read(owner.person)
    login(client, owner)
    assert rows(client.get(URL), "officials")[0].institution == "Valsts sociālās apdrošināšanas aģentūra"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert rows(client.get(URL), "officials")[0].institution == "State Social Insurance Agency"


def test_a_parent_sees_the_reads_of_a_minor_childs_data(client):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    official_read(link.child, number="1011-0000011")
    own_read(link.child, reader_user=parent, basis=Basis.LEGAL_REPRESENTATION, number="1011-0000012")
    official_read(link.parent, number="1011-0000013")  # the parent's own data: not in the child's log
    act_for(client, parent, f"person:{link.child.pk}")

    response = client.get(URL)

    assert response.status_code == 200
    assert [r.number for r in rows(response, "officials")] == ["1011-0000011"]
    assert [(r.number, r.basis) for r in rows(response, "own")] == [
        ("1011-0000012", str(Basis.LEGAL_REPRESENTATION.label))
    ]


def test_a_board_member_sees_the_reads_of_the_companys_data(client):
    membership = BoardMembershipFactory()
    member = UserFactory(person=membership.person)
    official_read(membership.organisation, number="1011-0000021")
    official_read(OrganisationFactory(), number="1011-0000022")  # another company
    act_for(client, member, f"organisation:{membership.organisation.pk}")

    response = client.get(URL)

    assert response.status_code == 200
    assert [r.number for r in rows(response, "officials")] == ["1011-0000021"]


def test_the_reads_by_a_delegate_are_listed_on_the_persons_side_with_their_name(client, owner):
    delegate = UserFactory()
    own_read(owner.person, reader_user=delegate, basis=Basis.DELEGATION)
    login(client, owner)

    own = rows(client.get(URL), "own")

    assert [(r.who, r.by_viewer, r.basis) for r in own] == [
        (str(delegate), False, str(Basis.DELEGATION.label))
    ]
    assert rows(client.get(URL), "officials") == []


def test_a_delegate_acting_for_the_person_gets_not_found(client, owner):
    delegate = UserFactory()
    service = ServiceFactory()
    official_read(owner.person)
    login(client, owner)
    response = client.post(
        reverse("delegation:delegations"),
        {
            "personal_code": delegate.person.personal_code,
            "first_name": delegate.person.first_name,
            "last_name": delegate.person.last_name,
            "services": [service.code],
        },
    )
    assert response.status_code == 302, response.content.decode()
    act_for(client, delegate, f"person:{owner.person.pk}")
    before = AuditEvent.objects.count()

    response = client.get(URL)

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_stranger_sees_only_the_reads_of_their_own_data(client, owner):
    official_read(owner.person)
    own_read(owner.person, reader_user=owner)
    login(client, UserFactory())

    response = client.get(URL)

    assert response.status_code == 200
    assert rows(response, "officials") == [] and rows(response, "own") == []


def test_a_forged_principal_key_changes_nothing(client, owner):
    official_read(owner.person)
    stranger = UserFactory()
    login(client, stranger)
    session = client.session
    session["delegation.acting_for"] = f"person:{owner.person.pk}"  # not a principal of the stranger
    session.save()
    before = AuditEvent.objects.count()

    response = client.get(URL, {"principal": f"person:{owner.person.pk}", "page": "abc"})

    assert response.status_code == 200
    assert response.context["principal"] == stranger.person
    assert rows(response, "officials") == []
    assert AuditEvent.objects.count() == before
    refused = client.post(reverse("delegation:act-for"), {"principal": f"person:{owner.person.pk}"})
    assert refused.status_code != 302  # refused (the form again), not chosen
    assert rows(client.get(URL), "officials") == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_pages_of_reads(client, owner):
    for _ in range(ACCESS_LOG_PAGE_SIZE + 5):
        official_read(owner.person)
    login(client, owner)

    first = client.get(URL)
    second = client.get(URL, {"page": "2"})
    past = client.get(URL, {"page": "999"})

    assert len(rows(first, "officials")) == ACCESS_LOG_PAGE_SIZE and first.context["officials"].has_next()
    assert len(rows(second, "officials")) == 5 and not second.context["officials"].has_next()
    assert past.context["officials"].number == 1
    assert "?page=2&amp;own_page=1" in first.content.decode()


@pytest.mark.parametrize("acting_for_child", [False, True])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, acting_for_child):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    subject = link.child if acting_for_child else parent.person
    if acting_for_child:
        act_for(client, parent, f"person:{link.child.pk}")
    else:
        login(client, parent)

    def given(n: int) -> None:
        for i in range(n):
            official_read(subject)
            api_read(subject)
            own_read(subject, reader_user=parent if i % 2 else UserFactory())

    given(2)
    client.get(URL)  # warm the session and the principals' cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    expected = len(few.captured_queries)

    given(28)  # 30 of each
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(rows(response, "officials")) == ACCESS_LOG_PAGE_SIZE
    audit_queries = [q for q in few.captured_queries if "audit_auditevent" in q["sql"]]
    assert len(audit_queries) == 2  # one per list
