"""The access-rights pages as their users and as the wrong people: who gets what, errors next to
their fields, hostile text escaped, CSV safe, fixed query counts, hidden actions posted directly."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access_rights import services
from access_rights.constants import AccessRequestStatus
from access_rights.models import AccessRequest
from access_rights.tests.signed_samples import asice_bytes
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.models import StaffRole
from eaccount.tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from kernel.actors import Actor
from requests_registry.tests.factories import login

pytestmark = pytest.mark.django_db

PAGES = [
    "access_rights:home",
    "access_rights:request-list",
    "access_rights:staff",
    "access_rights:register",
    "access_rights:register-history",
    "access_rights:review",
]


@pytest.fixture
def world():
    agency, other = AgencyFactory(code="VSAA"), AgencyFactory(code="PMLP")
    municipality = AgencyFactory(code="VALMIERA", kind="municipality")
    centre = ServiceCentreFactory(code="VPVKAC-VALMIERA", municipality=municipality)
    return {
        "agency": agency,
        "other": other,
        "centre": centre,
        "platform_admin": StaffRoleFactory(kind="platform_admin").user,
        "admin": StaffRoleFactory(kind="agency_admin", agency=agency).user,
        "other_admin": StaffRoleFactory(kind="agency_admin", agency=other).user,
        "centre_admin": StaffRoleFactory(kind="centre_admin", centre=centre).user,
        "staff": StaffRoleFactory(kind="agency_staff", agency=agency).user,
        "citizen": UserFactory(),
    }


def _request(world, *, by="staff", person=None):
    person = person or PersonFactory()
    return services.access_request_submit(
        actor=Actor(user=world[by]),
        agency=world["agency"],
        entries=[
            services.EntryData(
                action="grant",
                kind="agency_admin",
                personal_code=person.personal_code,
                position="<script>alert(1)</script>",
                permanent=True,
            )
        ],
        document=SimpleUploadedFile("pieprasijums.asice", asice_bytes()),
    )


@pytest.mark.parametrize("name", PAGES)
def test_a_citizen_finds_no_access_rights_page(client, world, name):
    login(client, world["citizen"])
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_the_anonymous_are_asked_to_log_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("platform_admin", set(PAGES)),
        ("admin", set(PAGES)),
        ("centre_admin", set(PAGES)),
        ("staff", {"access_rights:home", "access_rights:request-list"}),
    ],
)
def test_staff_see_what_their_role_allows(client, world, who, allowed):
    login(client, world[who])
    for name in PAGES:
        assert (client.get(reverse(name)).status_code == 200) is (name in allowed), name


def test_the_form_puts_a_row_error_next_to_its_field_and_keeps_nothing(client, world):
    login(client, world["staff"])
    response = client.post(
        reverse("access_rights:request-new"),
        {
            "scope": f"agency:{world['agency'].pk}",
            "entries-TOTAL_FORMS": "2",
            "entries-INITIAL_FORMS": "0",
            "entries-0-action": "grant",
            "entries-0-kind": "agency_admin",
            "entries-0-personal_code": "",
            "entries-1-action": "grant",
            "entries-1-kind": "agency_admin",
            "entries-1-personal_code": "010101-10006",
            "entries-1-valid_until": "2020-01-01",
            "document": SimpleUploadedFile("pieprasijums.pdf", b"%PDF-1.7 not signed"),
        },
    )
    assert response.status_code == 422
    formset = response.context["formset"]
    assert formset.forms[1].errors["personal_code"]
    assert response.context["form"].errors["document"]
    assert not AccessRequest.objects.exists()


def test_a_request_for_another_agency_is_not_offered_nor_taken(client, world):
    login(client, world["staff"])
    response = client.post(
        reverse("access_rights:request-new"),
        {"scope": f"agency:{world['other'].pk}", "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["scope"]
    assert not AccessRequest.objects.exists()


def test_hostile_text_is_escaped_on_the_request_page(client, world):
    request = _request(world)
    login(client, world["platform_admin"])
    body = client.get(reverse("access_rights:request-detail", args=[request.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_another_agencys_admin_cannot_see_or_approve_a_request(client, world):
    request = _request(world)
    login(client, world["other_admin"])
    assert client.get(reverse("access_rights:request-detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("access_rights:request-document", args=[request.pk])).status_code == 404
    assert client.post(reverse("access_rights:request-approve", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_the_submitter_sees_but_cannot_approve_by_posting(client, world):
    request = _request(world)
    login(client, world["staff"])
    page = client.get(reverse("access_rights:request-detail", args=[request.pk]))
    assert page.status_code == 200 and not page.context["may_decide"]
    assert client.post(reverse("access_rights:request-approve", args=[request.pk])).status_code == 403
    assert client.get(reverse("access_rights:request-approve", args=[request.pk])).status_code == 405
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_the_ministry_approves_and_refusing_after_says_decided(client, world):
    request = _request(world)
    login(client, world["platform_admin"])
    assert client.post(reverse("access_rights:request-approve", args=[request.pk])).status_code == 302
    again = client.post(reverse("access_rights:request-refuse", args=[request.pk]), {"reason": "x"})
    assert again.status_code == 409
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED


def test_refusing_without_a_reason_is_an_error_on_the_field(client, world):
    request = _request(world)
    login(client, world["platform_admin"])
    response = client.post(reverse("access_rights:request-refuse", args=[request.pk]), {"reason": ""})
    assert response.status_code == 422
    assert response.context["refuse_form"].errors["reason"]


def test_the_document_downloads_for_the_ministry(client, world):
    request = _request(world)
    login(client, world["platform_admin"])
    response = client.get(reverse("access_rights:request-document", args=[request.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == asice_bytes()


def test_an_agency_admin_is_offered_only_the_staff_role_and_cannot_post_an_admin_one(client, world):
    login(client, world["admin"])
    page = client.get(reverse("access_rights:staff"))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["agency_staff"]
    person = PersonFactory()
    response = client.post(
        reverse("access_rights:staff"),
        {
            "scope": f"agency:{world['agency'].pk}",
            "personal_code": person.personal_code,
            "kind": "agency_admin",
            "permanent": "on",
        },
    )
    assert response.status_code == 422
    assert not StaffRole.objects.filter(user__person=person).exists()


def test_an_admin_cannot_pick_another_agency_on_the_staff_page(client, world):
    login(client, world["admin"])
    assert (
        client.get(reverse("access_rights:staff"), {"scope": f"agency:{world['other'].pk}"}).status_code
        == 404
    )


def test_revoking_another_agencys_role_by_posting_is_refused(client, world):
    foreign = StaffRoleFactory(kind="agency_staff", agency=world["other"])
    login(client, world["admin"])
    response = client.post(reverse("access_rights:staff-revoke", args=[foreign.pk]), {"reason": "x"})
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_register_csv_lists_only_the_admins_agency_and_is_spreadsheet_safe(client, world):
    hostile = UserFactory(first_name="=HYPERLINK(1)", last_name="X")
    hostile.person.first_name = "=HYPERLINK(1)"
    hostile.person.save()
    StaffRoleFactory(kind="agency_staff", agency=world["agency"], user=hostile)
    StaffRoleFactory(kind="agency_staff", agency=world["other"])
    login(client, world["admin"])
    response = client.get(reverse("access_rights:register"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    agencies = {row[3].split(" ")[0] for row in rows[1:]}
    assert agencies == {"VSAA"}
    assert any(row[0].startswith("'=") for row in rows[1:])


@pytest.mark.parametrize(
    "name", ["access_rights:register", "access_rights:staff", "access_rights:request-list"]
)
def test_lists_take_a_fixed_number_of_queries(client, world, name, django_assert_max_num_queries):
    login(client, world["platform_admin"])
    for _n in range(3):
        StaffRoleFactory(kind="agency_staff", agency=world["agency"])
        _request(world)
    client.get(reverse(name))  # warm the caches
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse(name)).status_code == 200
    counted = len(few)  # now: the next request empties the connection's log
    for _n in range(12):
        StaffRoleFactory(kind="agency_staff", agency=world["agency"])
        _request(world)
    client.get(reverse(name))  # the header's unread count was forgotten when the notices came
    with django_assert_max_num_queries(counted):
        client.get(reverse(name))
