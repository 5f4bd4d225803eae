"""Reads of a client's case are kept in the audit trail with whose data they were (the subject): an
official's case page and file download, an agency system's API reads, the client's side's page reads.
Runs on SQLite and PostgreSQL."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from api_clients import services as services_api
from audit.models import AuditEvent, Reader
from catalogue.tests.factories import AgencyFactory
from eaccount.tests.factories import OrganisationFactory, ParentChildFactory, UserFactory
from requests_registry.constants import CaseStatus as S
from requests_registry.models import CaseAttachment

from .factories import PDF_BYTES, CaseFactory, ServiceFactory, login, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(
        code="VSAA",
        name_lv="Valsts sociālās apdrošināšanas aģentūra",
        name_en="State Social Insurance Agency",
    )


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def case(agency, owner):
    return CaseFactory(service=ServiceFactory(agency=agency), client_person=owner.person, status=S.REGISTERED)


@pytest.fixture
def attachment(case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return CaseAttachment.objects.create(
        case=case,
        kind=CaseAttachment.Kind.RESULT,
        file=ContentFile(PDF_BYTES, name="lemums.pdf"),
        original_name="lēmums.pdf",
        visible_to_client=True,
    )


@pytest.fixture
def api(agency, settings):
    settings.API_CLIENT_CACHE_SECONDS = 0
    credentials = services_api.api_client_create(agency=agency, name="VSAA back office")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {credentials.key}")
    return client


def _reads(**filters):
    return AuditEvent.objects.exclude(subject_id="").filter(**filters)


def _person_subject(person):
    return ("eaccount.person", str(person.pk))


def test_an_officials_case_page_read_is_kept_with_subject_institution_and_purpose(
    client, case, agency, owner
):
    staff = staff_of(agency)
    login(client, staff)

    assert client.get(f"/cases/agency/{case.number}/").status_code == 200

    event = _reads(action="case.view").get()
    assert (event.subject_type, event.subject_id) == _person_subject(owner.person)
    assert event.actor_id == staff.pk and event.actor_label == str(staff)
    assert (event.object_type, event.object_id) == ("requests_registry.case", str(case.pk))
    assert event.data["reader"] == Reader.OFFICIAL
    assert event.data["agency"] == agency.name_lv and event.data["number"] == case.number
    assert event.data["purpose"] == "case_processing" and case.number in event.reason


def test_an_officials_file_download_is_kept(client, case, agency, owner, attachment):
    staff = staff_of(agency)
    login(client, staff)

    response = client.get(f"/cases/agency/{case.number}/files/{attachment.pk}/")

    assert response.status_code == 200
    event = _reads(action="case.file_view").get()
    assert (event.subject_type, event.subject_id) == _person_subject(owner.person)
    assert event.actor_id == staff.pk
    assert event.data["what"] == "file" and event.data["file"] == "lēmums.pdf"
    assert event.data["reader"] == Reader.OFFICIAL


def test_another_agencys_official_reads_nothing_and_nothing_is_kept(client, case, attachment):
    other = staff_of(AgencyFactory(code="PMLP"))
    login(client, other)

    assert client.get(f"/cases/agency/{case.number}/").status_code == 404
    assert client.get(f"/cases/agency/{case.number}/files/{attachment.pk}/").status_code == 404
    assert not _reads().exists()


def test_an_agency_systems_api_read_of_a_case_is_kept(api, case, owner, agency):
    response = api.get(f"/api/v1/cases/{case.number}/")

    assert response.status_code == 200
    event = _reads(action="case.api_read").get()
    assert (event.subject_type, event.subject_id) == _person_subject(owner.person)
    assert event.actor_id is None and "VSAA back office" in event.actor_label
    assert event.reason == "VSAA back office"
    assert event.data["reader"] == Reader.AGENCY_SYSTEM and event.data["agency"] == agency.name_lv
    assert event.data["via"] == "detail" and event.data["number"] == case.number


def test_an_api_read_of_a_foreign_or_missing_case_keeps_nothing(api):
    foreign = CaseFactory()  # another agency's service
    assert api.get(f"/api/v1/cases/{foreign.number}/").status_code == 404
    assert api.get("/api/v1/cases/1011-9999999/").status_code == 404
    assert not _reads().exists()


def test_an_api_list_page_keeps_one_read_per_listed_case_in_one_insert(api, case, agency):
    organisation = OrganisationFactory()
    company_case = CaseFactory(
        service=case.service, client_person=None, client_organisation=organisation, status=S.REGISTERED
    )
    CaseFactory()  # another agency's: not listed, not read

    response = api.get("/api/v1/cases/")

    assert response.status_code == 200 and len(response.json()["results"]) == 2
    reads = {(e.object_id, e.subject_type, e.subject_id) for e in _reads(action="case.api_read")}
    assert reads == {
        (str(case.pk), "eaccount.person", str(case.client_person_id)),
        (str(company_case.pk), "eaccount.organisation", str(organisation.pk)),
    }
    assert set(_reads().values_list("data__via", flat=True)) == {"list"}


def test_the_clients_own_page_read_is_kept_on_the_persons_side(client, case, owner, attachment):
    login(client, owner)

    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(f"/cases/{case.number}/files/{attachment.pk}/").status_code == 200

    events = list(_reads().order_by("id"))
    assert [e.action for e in events] == ["case.view", "case.file_view"]
    for event in events:
        assert (event.subject_type, event.subject_id) == _person_subject(owner.person)
        assert event.actor_id == owner.pk
        assert event.data["reader"] == Reader.CLIENT and event.data["basis"] == "self"


def test_a_parents_read_of_a_childs_case_names_the_basis(client, agency):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    case = CaseFactory(service=ServiceFactory(agency=agency), client_person=link.child)
    login(client, parent)

    assert client.get(case.get_absolute_url()).status_code == 200

    event = _reads().get()
    assert (event.subject_type, event.subject_id) == _person_subject(link.child)
    assert event.actor_id == parent.pk and event.data["basis"] == "legal_representation"


def test_a_strangers_attempt_keeps_nothing(client, case):
    login(client, UserFactory())
    assert client.get(case.get_absolute_url()).status_code == 404
    assert not _reads().exists()


def test_the_owner_sees_the_officials_and_the_systems_reads_on_the_access_log(
    client, case, agency, owner, api
):
    staff = staff_of(agency)
    login(client, staff)
    client.get(f"/cases/agency/{case.number}/")
    api.get(f"/api/v1/cases/{case.number}/")
    login(client, owner)
    client.get(case.get_absolute_url())

    response = client.get("/account/access-log/")

    assert response.status_code == 200
    officials = list(response.context["officials"].object_list)
    assert [(r.who, r.number, r.via_api) for r in officials] == [
        ("VSAA back office", case.number, True),
        (str(staff), case.number, False),
    ]
    assert all(r.institution == agency.name_lv for r in officials)
    assert [(r.number, r.by_viewer) for r in response.context["own"].object_list] == [(case.number, True)]
    assert str(staff) in response.content.decode()
