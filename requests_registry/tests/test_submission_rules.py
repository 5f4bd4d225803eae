"""Who may be the client, the authorised e-service within Reg. 401, one open case per subject, and
who is named as the sender of a status notice."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from eaccount.models import Message
from kernel.actors import Actor
from kernel.constants import AssuranceLevel, Basis, Channel
from requests_registry import services
from requests_registry.constants import CaseStatus
from requests_registry.exceptions import ActorNotAllowed, OpenCaseExists, ServiceNotAvailable
from requests_registry.models import Case, StatusChange

from .factories import (
    VALID_DATA,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    ServiceFactory,
    StaffRoleFactory,
    UserFactory,
    login,
    staff_of,
)

pytestmark = pytest.mark.django_db

EFORM_WITH_SUBJECT = [
    {
        "name": "child_personal_code",
        "type": "personal_code",
        "label_lv": "Bērna personas kods",
        "required": True,
        "case_subject": True,
    },
    {"name": "comment", "type": "text", "label_lv": "Komentārs"},
]


# --- the authorised e-service (Reg. 401 points 2.6 and 22.1) --------------------------------------


@pytest.fixture
def specialist():
    role = StaffRoleFactory(kind="centre_specialist")
    return role.user, role.centre


def authorised_actor(user, centre, client, *, assurance=AssuranceLevel.HIGH, centre_id=None):
    return Actor(
        user=user,
        principal=client,
        basis=Basis.AUTHORISED_FILING,
        channel=Channel.VPVKAC,
        assurance=assurance,
        centre_id=centre.pk if centre_id is None else centre_id,
    )


def file_authorised(actor, service, client, centre):
    return services.case_submit(
        actor=actor,
        service=service,
        client=client,
        data=dict(VALID_DATA),
        authorisation_reference="PIL-2026/17",
    )


def test_an_authorised_e_service_is_filed_for_a_person_without_eid(specialist):
    user, centre = specialist
    service = ServiceFactory(authorised_filing_allowed=True)
    valdis = PersonFactory(has_eid=False)

    case = file_authorised(authorised_actor(user, centre, valdis), service, valdis, centre)

    assert case.basis == Basis.AUTHORISED_FILING and case.centre == centre
    assert case.client_person == valdis and case.submitted_by == user


@pytest.mark.parametrize(
    "situation, code",
    [
        ("client_has_eid", "authorised-filing-client_has_eid"),
        ("organisation", "authorised-filing-client_organisation"),
        ("substantial_session", "authorised-filing-assurance"),
        ("service_does_not_allow", "authorised-filing-service"),
        ("other_centre", "authorised-filing-not_centre_specialist"),
        ("agency_staff", "authorised-filing-not_centre_specialist"),
    ],
)
def test_an_authorised_e_service_outside_its_legal_definition_is_refused(specialist, situation, code):
    user, centre = specialist
    service = ServiceFactory(authorised_filing_allowed=situation != "service_does_not_allow")
    client = PersonFactory(has_eid=situation == "client_has_eid")
    assurance = AssuranceLevel.SUBSTANTIAL if situation == "substantial_session" else AssuranceLevel.HIGH
    centre_id = None
    if situation == "organisation":
        service = ServiceFactory(authorised_filing_allowed=True, audience="organisation")
        client = OrganisationFactory()
    if situation == "other_centre":
        centre_id = StaffRoleFactory(kind="centre_specialist").centre_id
    if situation == "agency_staff":
        user = staff_of(service.agency)
    actor = authorised_actor(user, centre, client, assurance=assurance, centre_id=centre_id)

    with pytest.raises(ActorNotAllowed) as error:
        file_authorised(actor, service, client, centre)

    assert error.value.code == code and error.value.status == 403
    assert not Case.objects.exists()


# --- who may be the client ------------------------------------------------------------------------


def test_acting_for_a_minor_the_services_for_adults_are_not_offered(client):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    login(client, parent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{link.child.pk}"})
    adults_only = ServiceFactory(code="1011")

    page = client.get(reverse("requests_registry:apply", kwargs={"code": adults_only.code}))
    client.post(
        reverse("requests_registry:apply", kwargs={"code": adults_only.code}),
        {**VALID_DATA, "action": "check"},
    )
    client.post(reverse("requests_registry:apply", kwargs={"code": adults_only.code}), {"action": "submit"})

    assert page.status_code == 403
    assert link.child.full_name in page.content.decode()
    assert not Case.objects.exists()


def test_a_minor_cannot_be_the_client_of_a_service_for_adults():
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    actor = Actor(user=parent, principal=link.child, basis=Basis.LEGAL_REPRESENTATION)

    with pytest.raises(ServiceNotAvailable):
        services.case_submit(actor=actor, service=ServiceFactory(), client=link.child, data=dict(VALID_DATA))

    case = services.case_submit(
        actor=actor,
        service=ServiceFactory(minor_may_be_client=True),
        client=link.child,
        data=dict(VALID_DATA),
    )
    assert case.client_person == link.child


# --- one open case per subject --------------------------------------------------------------------


def one_off_service(**extra):
    return ServiceFactory(
        one_open_case_per_subject=True, eform=[dict(f) for f in EFORM_WITH_SUBJECT], **extra
    )


def file_for_child(user, service, child_code="030718-23455"):
    return services.case_submit(
        actor=Actor(user=user, principal=user.person, basis=Basis.SELF, channel=Channel.E_SERVICE),
        service=service,
        client=user.person,
        data={"child_personal_code": child_code},
    )


def test_a_second_open_case_for_the_same_child_is_refused_with_the_open_case_named():
    service = one_off_service()
    parent = UserFactory()
    first = file_for_child(parent, service)

    with pytest.raises(OpenCaseExists) as error:
        file_for_child(parent, service)

    assert error.value.open_case_number == first.number
    assert Case.objects.count() == 1
    other_child = file_for_child(parent, service, child_code="161175-19997")
    assert other_child.subject_key == "161175-19997"


def test_the_other_parent_is_refused_without_being_shown_the_case():
    service = one_off_service()
    first = file_for_child(UserFactory(), service)

    with pytest.raises(OpenCaseExists) as error:
        file_for_child(UserFactory(), service)

    assert error.value.open_case_number == "" and first.number not in error.value.message


@pytest.mark.parametrize("closed", [CaseStatus.WITHDRAWN, CaseStatus.REJECTED, CaseStatus.COMPLETED])
def test_after_the_first_case_is_closed_a_new_one_may_be_filed(closed):
    service = one_off_service()
    parent = UserFactory()
    first = file_for_child(parent, service)
    Case.objects.filter(pk=first.pk).update(status=closed)

    assert file_for_child(parent, service).pk != first.pk


def test_services_that_allow_several_open_cases_take_them():
    service = ServiceFactory(eform=[dict(f) for f in EFORM_WITH_SUBJECT])
    parent = UserFactory()

    file_for_child(parent, service)
    file_for_child(parent, service)

    assert Case.objects.count() == 2


def test_the_apply_page_refuses_the_second_case_and_links_the_open_one(client):
    service = one_off_service()
    parent = UserFactory()
    first = file_for_child(parent, service)
    login(client, parent)
    url = reverse("requests_registry:apply", kwargs={"code": service.code})

    client.post(url, {"child_personal_code": "030718-23455", "action": "check"})
    response = client.post(url, {"action": "submit"})

    assert response.status_code == 409
    assert first.get_absolute_url() in response.content.decode()
    assert Case.objects.count() == 1


def test_staff_see_a_warning_when_another_channel_brings_a_second_case(client):
    service = one_off_service()
    parent = UserFactory()
    first = file_for_child(parent, service)
    second = services.case_register_received(
        actor=Actor.system("VSAA back office", channel=Channel.POST),
        service=service,
        client=parent.person,
        data={"child_personal_code": "03071823455"},
    )
    staff = staff_of(service.agency)
    login(client, staff)

    page = client.get(reverse("requests_registry:agency-case-detail", kwargs={"number": second.number}))

    assert second.subject_key == first.subject_key
    assert page.context["open_duplicates"] == [first]
    assert 'data-testid="open-duplicates"' in page.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parents_filing_at_once_get_one_case():
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    service = one_off_service()
    parents = [UserFactory(), UserFactory()]
    results: list = []
    barrier = threading.Barrier(2)

    def file(user):
        barrier.wait()
        try:
            results.append(file_for_child(user, service))
        except OpenCaseExists as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(user,)) for user in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Case.objects.filter(service=service).count() == 1
    assert sorted(type(r).__name__ for r in results) == ["Case", "OpenCaseExists"]


# --- who sent it ------------------------------------------------------------------------------------


def test_the_clients_own_answer_is_credited_to_the_client(django_capture_on_commit_callbacks):
    user = UserFactory()
    service = ServiceFactory()
    case = services.case_submit(
        actor=Actor(user=user, principal=user.person),
        service=service,
        client=user.person,
        data=dict(VALID_DATA),
    )
    staff = Actor(user=staff_of(service.agency), channel=Channel.AGENCY)
    services.case_change_status(actor=staff, case=case, to=CaseStatus.REGISTERED)
    services.case_change_status(actor=staff, case=case, to=CaseStatus.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_request_info(actor=staff, case=case, question="Which bank?")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_answer_info(actor=Actor(user=user, principal=user.person), case=case, answer="Swedbank")

    answer = StatusChange.objects.get(case=case, to_status=CaseStatus.IN_PROGRESS, note="Swedbank")
    message = Message.objects.get(source_key=f"case-status:{answer.pk}")
    assert message.sender_label == user.person.full_name
    question = StatusChange.objects.get(case=case, to_status=CaseStatus.NEEDS_INFO)
    assert Message.objects.get(source_key=f"case-status:{question.pk}").sender_label == service.agency.name
