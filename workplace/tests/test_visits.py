"""Serving a client and the specialist's start page: who may, what each look at a profile leaves in
the audit trail, and the agency staff's profile limited to their agency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.tests.factories import ServiceCentreFactory
from eaccount.tests.factories import UserFactory
from kernel.constants import Channel
from requests_registry.constants import Basis, CaseStatus
from requests_registry.models import Case
from requests_registry.tests.factories import (
    VALID_DATA,
    AgencyFactory,
    CaseFactory,
    PersonFactory,
    ServiceFactory,
    StaffRoleFactory,
    login,
    pdf_upload,
    staff_of,
)
from workplace.constants import WorkplaceAction
from workplace.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def specialist(centre):
    return StaffRoleFactory(kind="centre_specialist", centre=centre).user


def start_visit(client, person):
    return client.post(
        reverse("workplace:visit-new"),
        {
            "channel": "vpvkac",
            "kind": "person",
            "code": person.personal_code,
            "identity_check": "known",
        },
    )


def test_a_visit_starts_after_the_identity_check_and_is_audited(client, specialist):
    person = PersonFactory()
    login(client, specialist, "substantial")

    response = start_visit(client, person)

    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == visit.get_absolute_url()
    assert visit.client_person == person and visit.specialist == specialist
    assert AuditEvent.objects.filter(action=WorkplaceAction.VISIT_START, object_id=str(visit.pk)).exists()


def test_a_client_is_found_by_a_previous_personal_code(client, specialist):
    person = PersonFactory(previous_personal_code="120380-12348")
    login(client, specialist, "substantial")

    response = client.post(
        reverse("workplace:visit-new"),
        {"channel": "vpvkac", "kind": "person", "code": "120380-12348", "identity_check": "known"},
    )

    assert response.status_code == 302 and Visit.objects.get().client_person == person


def test_an_unknown_code_is_a_clear_error_and_no_visit(client, specialist):
    login(client, specialist, "substantial")

    response = client.post(
        reverse("workplace:visit-new"),
        {"channel": "vpvkac", "kind": "person", "code": "010101-10000", "identity_check": "known"},
    )

    assert response.status_code == 400 and not Visit.objects.exists()
    assert "Persona vai organizācija ar šādu kodu nav atrasta." in response.content.decode()


def test_another_specialist_can_neither_see_nor_end_the_visit(client, specialist, centre):
    login(client, specialist, "substantial")
    start_visit(client, PersonFactory())
    visit = Visit.objects.get()
    other = StaffRoleFactory(kind="centre_specialist", centre=centre).user
    login(client, other, "substantial")

    page = client.get(visit.get_absolute_url())
    ended = client.post(reverse("workplace:visit-end", args=[visit.pk]))
    profile = client.post(reverse("workplace:profile", args=[visit.pk]), {"purpose": "client_request"})

    assert (page.status_code, ended.status_code, profile.status_code) == (404, 404, 404)
    visit.refresh_from_db()
    assert (
        visit.ended_at is None and not AuditEvent.objects.filter(action=WorkplaceAction.PROFILE_VIEW).exists()
    )


def test_an_ended_visit_shows_no_profile(client, specialist):
    login(client, specialist, "substantial")
    start_visit(client, PersonFactory())
    visit = Visit.objects.get()
    client.post(reverse("workplace:profile", args=[visit.pk]), {"purpose": "client_request"})

    client.post(reverse("workplace:visit-end", args=[visit.pk]))
    response = client.get(reverse("workplace:profile", args=[visit.pk]))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=WorkplaceAction.VISIT_END).count() == 1


def test_an_agencys_staff_see_the_profile_limited_to_their_agency_with_a_purpose(client):
    vsaa, pmlp = AgencyFactory(code="VSAA"), AgencyFactory(code="PMLP")
    person = PersonFactory()
    ours = CaseFactory(service=ServiceFactory(agency=vsaa), client_person=person)
    theirs = CaseFactory(service=ServiceFactory(agency=pmlp), client_person=person)
    login(client, staff_of(vsaa), "substantial")
    lookup = {"kind": "person", "code": person.personal_code}

    without = client.post(reverse("workplace:agency-profile"), lookup)
    response = client.post(
        reverse("workplace:agency-profile"), {**lookup, "purpose": "case", "purpose_text": ours.number}
    )

    assert without.status_code == 400
    page = response.content.decode()
    assert response.status_code == 200 and ours.number in page and theirs.number not in page
    event = AuditEvent.objects.get(action=WorkplaceAction.PROFILE_VIEW)
    assert event.subject_id == str(person.pk) and ours.number in event.reason
    assert event.data["agency"] == vsaa.name_lv and event.data["agencies"] == [vsaa.pk]


@pytest.mark.parametrize("who", ["citizen", "centre_admin"])
def test_the_workplace_is_not_found_for_others(client, who):
    user = UserFactory() if who == "citizen" else StaffRoleFactory(kind="centre_admin").user
    login(client, user, "high")

    responses = [
        client.get(reverse("workplace:start")),
        client.get(reverse("workplace:visit-new")),
        client.post(reverse("workplace:agency-profile"), {"kind": "person", "code": "x"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]


def test_the_start_page_shows_the_centres_open_cases_in_a_fixed_number_of_queries(client, specialist, centre):
    service = ServiceFactory()
    CaseFactory(service=service, centre=centre, channel=Channel.VPVKAC)
    login(client, specialist, "substantial")
    client.get(reverse("workplace:start"))  # warm the role cache

    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("workplace:start"))
    for _ in range(5):
        CaseFactory(service=service, centre=centre, channel=Channel.VPVKAC)
    with CaptureQueriesContext(connection) as six:
        second = client.get(reverse("workplace:start"))

    assert first.status_code == second.status_code == 200
    assert len(one) == len(six)
    assert second.content.decode().count(service.code + "-") >= 6


def test_an_application_received_on_paper_reaches_the_agency_with_its_scan(client, specialist, centre):
    person = PersonFactory()
    service = ServiceFactory(agency=AgencyFactory(code="VSAA"))
    login(client, specialist, "substantial")
    start_visit(client, person)
    visit = Visit.objects.get()
    url = reverse("workplace:paper-case", args=[visit.pk])

    form = client.get(url, {"service": service.code})
    response = client.post(
        url,
        {"service": service.code, "channel": "post", "scan": pdf_upload("iesniegums.pdf"), **VALID_DATA},
    )

    assert form.status_code == 200 and response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.basis, case.centre_id, case.status) == (
        Channel.POST,
        Basis.AGENCY_REGISTRATION,
        centre.pk,
        CaseStatus.SUBMITTED,
    )
    assert case.client_person == person and case.agency_id == service.agency_id
    assert sorted(a.field_name for a in case.attachments.all()) == ["scan"]
    assert AuditEvent.objects.filter(action=WorkplaceAction.PAPER_CASE, object_id=str(case.pk)).exists()


def test_a_paper_application_with_wrong_data_is_refused_field_by_field_and_nothing_is_stored(
    client, specialist
):
    service = ServiceFactory()
    login(client, specialist, "substantial")
    start_visit(client, PersonFactory())
    visit = Visit.objects.get()

    response = client.post(
        reverse("workplace:paper-case", args=[visit.pk]),
        {
            "service": service.code,
            "channel": "post",
            "scan": pdf_upload("x.pdf"),
            "child_birth_date": "vakar",
        },
    )

    assert response.status_code == 400 and not Case.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()
