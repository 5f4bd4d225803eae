"""Who may see which case: agencies, staff, users acting for principals; and the client's view of history."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from delegation import services as delegation_services
from kernel.actors import Actor
from requests_registry import selectors
from requests_registry.constants import CaseStatus
from requests_registry.exceptions import CaseNotFound
from requests_registry.models import Case

from .factories import (
    AgencyFactory,
    BoardMembershipFactory,
    CaseFactory,
    ParentChildFactory,
    PersonFactory,
    ServiceFactory,
    UserFactory,
    staff_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number", ["", "1011", "1011-123", "abc-0000001", "1011-0000001; DROP TABLE", None, 42]
)
def test_malformed_numbers_are_not_found(number):
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_agency(agency_id=1, number=number)
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_user(user=UserFactory(), number=number)


def test_agency_sees_only_its_own_services_cases():
    vsaa, pmlp = AgencyFactory(code="VSAA"), AgencyFactory(code="PMLP")
    case = CaseFactory(service=ServiceFactory(agency=vsaa))
    CaseFactory(service=ServiceFactory(agency=pmlp))

    assert selectors.case_get_for_agency(agency_id=vsaa.pk, number=case.number) == case
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_agency(agency_id=pmlp.pk, number=case.number)
    assert list(selectors.case_list_for_agency(agency_id=vsaa.pk)) == [case]


def test_agency_list_filters():
    agency = AgencyFactory()
    service = ServiceFactory(agency=agency, code="1011")
    other_service = ServiceFactory(agency=agency, code="1013")
    old = CaseFactory(service=service, status=CaseStatus.REGISTERED)
    new = CaseFactory(service=other_service, status=CaseStatus.IN_PROGRESS)
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))

    def numbers(**filters):
        return [c.number for c in selectors.case_list_for_agency(agency_id=agency.pk, **filters)]

    assert numbers(status="in_progress") == [new.number]
    assert numbers(status="bogus") == []
    assert numbers(service_code="1011") == [old.number]
    assert numbers(updated_since=timezone.now() - datetime.timedelta(days=1)) == [new.number]
    assert numbers(number=new.number) == [new.number]


def test_staff_see_their_agencies_cases_only():
    agency = AgencyFactory()
    staff = staff_of(agency)
    case = CaseFactory(service=ServiceFactory(agency=agency))
    foreign = CaseFactory()
    assert selectors.case_get_for_staff(user=staff, number=case.number) == case
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_staff(user=staff, number=foreign.number)
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_staff(user=UserFactory(), number=case.number)


def test_user_sees_cases_of_every_principal_or_of_one():
    user = UserFactory()
    child = ParentChildFactory(parent=user.person).child
    company = BoardMembershipFactory(person=user.person).organisation
    own = CaseFactory(client_person=user.person)
    childs = CaseFactory(client_person=child)
    companys = CaseFactory(
        client_person=None, client_organisation=company, service=ServiceFactory(audience="organisation")
    )
    CaseFactory(client_person=PersonFactory())

    assert set(selectors.case_list_for_user(user=user)) == {own, childs, companys}
    from delegation.selectors import principals_for

    child_principal = principals_for(user=user)[1]
    assert list(selectors.case_list_for_user(user=user, principal=child_principal)) == [childs]
    assert selectors.case_get_for_user(user=user, number=companys.number) == companys


def test_adult_child_and_former_board_member_lose_access():
    user = UserFactory()
    adult = ParentChildFactory(parent=user.person, child=PersonFactory(born=datetime.date(1990, 5, 5))).child
    membership = BoardMembershipFactory(
        person=user.person, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    adult_case = CaseFactory(client_person=adult)
    company_case = CaseFactory(
        client_person=None,
        client_organisation=membership.organisation,
        service=ServiceFactory(audience="organisation"),
    )
    for case in (adult_case, company_case):
        with pytest.raises(CaseNotFound):
            selectors.case_get_for_user(user=user, number=case.number)


def test_client_history_hides_internal_rows():
    case = CaseFactory(status=CaseStatus.REGISTERED)
    case.status_changes.create(
        seq=3, from_status="registered", to_status="in_progress", visible_to_client=False
    )
    assert [c.seq for c in selectors.case_history(case=case, client_view=True)] == [1, 2]
    assert [c.seq for c in selectors.case_history(case=case, client_view=False)] == [1, 2, 3]


def test_what_hangs_off_a_clients_cases_follows_the_case_list_by_a_join():
    """Status changes, files and feedback (and, through `case_condition_for_user`, invoices) of the
    cases `case_list_for_user` gives, for oneself, a child, a company and a delegator's one service,
    by a join on the case: no subquery of case ids, which PostgreSQL planned for many milliseconds."""
    user = UserFactory()
    child = ParentChildFactory(parent=user.person).child
    company = BoardMembershipFactory(person=user.person).organisation
    grantor = UserFactory()
    listed, other = ServiceFactory(), ServiceFactory()
    delegation_services.delegation_grant(
        principal=grantor.person, agent=user.person, actor=Actor(user=grantor), services=[listed]
    )
    seen = [
        CaseFactory(client_person=user.person),
        CaseFactory(client_person=child),
        CaseFactory(
            client_person=None, client_organisation=company, service=ServiceFactory(audience="organisation")
        ),
        CaseFactory(client_person=grantor.person, service=listed),
    ]
    CaseFactory(client_person=grantor.person, service=other)  # not delegated
    CaseFactory(client_person=PersonFactory())  # nobody's of theirs
    assert set(selectors.case_list_for_user(user=user)) == set(seen)

    changes = selectors.status_changes_for_client(user=user)
    assert {change.case for change in changes} == set(seen)
    condition = selectors.case_condition_for_user(user=user, via="")
    assert set(Case.objects.filter(condition)) == set(seen)
    for qs in (changes, selectors.case_files_for_client(user=user), selectors.feedback_for_client(user=user)):
        assert str(qs.query).count("SELECT") == 1, str(qs.query)
    no_person = get_user_model().objects.create_user(username="no-person")  # e.g. a service account
    assert selectors.case_condition_for_user(user=no_person) is None
