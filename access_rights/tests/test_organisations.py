"""The platform admin's agencies and one-stop centres: the catalogue's and payments' services, and
the pages at /rights/agencies/ and /rights/centres/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import services as catalogue_services
from catalogue.models import Agency, ServiceCentre
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.tests.factories import StaffRoleFactory, UserFactory
from kernel.actors import Actor
from kernel.errors import Invalid, PermissionDenied
from payments import services as payments_services
from payments.models import Payee
from payments.tests.factories import PayeeFactory
from requests_registry.tests.factories import login

pytestmark = pytest.mark.django_db

IBAN = "LV80BANK0000435195001"
REG_NO = "90000055243"

AGENCY_DATA = {
    "code": "TESTA",
    "name_lv": "Testa aģentūra",
    "name_en": "Test agency",
    "kind": "state",
    "email": "info@testa.gov.lv",
    "phone": "+371 67000000",
    "website": "https://www.testa.gov.lv",
}
PAYEE_DATA = {
    "legal_name": "Testa aģentūra",
    "registration_number": REG_NO,
    "iban": IBAN,
    "bic": "TRELLV22",
}


@pytest.fixture
def admin():
    return StaffRoleFactory(kind="platform_admin").user


@pytest.fixture
def actor(admin):
    return Actor(user=admin)


@pytest.fixture
def municipality():
    return AgencyFactory(
        code="TESTNOVADS", name_lv="Testa novads", name_en="Test municipality", kind="municipality"
    )


def _centre_data(home, **changes):
    return {
        "code": "VPVKAC-TEST",
        "name_lv": "Testa VPVKAC",
        "name_en": "Test one-stop centre",
        "municipality": home.code,
        "address": "Brīvības iela 1, Testa",
        "email": "vpvkac@testa.lv",
        "phone": "+371 64000000",
        "opening_hours": "P–C 8:30–17:00",
    } | changes


# --- services: agencies ------------------------------------------------------------------------------


def test_a_platform_admin_creates_an_agency_and_it_is_audited(actor):
    agency = catalogue_services.agency_create(actor=actor, data=AGENCY_DATA | {"code": " testa "})

    assert agency.code == "TESTA"
    assert (agency.name_lv, agency.name_en, agency.kind) == ("Testa aģentūra", "Test agency", "state")
    assert (agency.email, agency.phone, agency.website) == (
        "info@testa.gov.lv",
        "+371 67000000",
        "https://www.testa.gov.lv",
    )
    event = AuditEvent.objects.get(action="catalogue.agency.create")
    assert event.object_id == str(agency.pk)
    assert event.actor_id == actor.user.pk
    assert event.data["changed"]["code"] == [None, "TESTA"]
    assert event.data["changed"]["website"] == [None, "https://www.testa.gov.lv"]


def test_an_agency_update_records_what_changed_and_keeps_the_code(actor):
    agency = AgencyFactory(code="TESTB", name_lv="Vecais", name_en="Old", kind="state")

    updated = catalogue_services.agency_update(
        actor=actor, agency=agency, data={"name_lv": "Jaunais", "phone": "67000001"}
    )

    assert updated.name_lv == "Jaunais"
    assert updated.name_en == "Old"  # left out: kept
    assert updated.code == "TESTB"
    agency.refresh_from_db()
    assert (agency.name_lv, agency.phone) == ("Jaunais", "67000001")
    event = AuditEvent.objects.get(action="catalogue.agency.update")
    assert event.data["changed"] == {"name_lv": ["Vecais", "Jaunais"], "phone": ["", "67000001"]}


def test_an_update_that_changes_nothing_records_nothing(actor):
    agency = AgencyFactory(code="TESTC")
    catalogue_services.agency_update(actor=actor, agency=agency, data={"name_lv": agency.name_lv})
    assert not AuditEvent.objects.filter(action="catalogue.agency.update").exists()


def test_the_code_is_not_changed_after_creation(actor):
    agency = AgencyFactory(code="TESTD")
    with pytest.raises(Invalid) as caught:
        catalogue_services.agency_update(actor=actor, agency=agency, data={"code": "OTHER"})
    assert "code" in caught.value.field_errors
    agency.refresh_from_db()
    assert agency.code == "TESTD"


@pytest.mark.parametrize("code", ["VSAA", "vsaa"])
def test_a_duplicate_agency_code_is_refused(actor, code):
    AgencyFactory(code="VSAA")
    with pytest.raises(Invalid) as caught:
        catalogue_services.agency_create(actor=actor, data=AGENCY_DATA | {"code": code})
    assert list(caught.value.field_errors) == ["code"]
    assert Agency.objects.filter(code__iexact="VSAA").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "A"}, "code"),
        ({"code": "TOO-LONG-A-CODE-FOR-AN"}, "code"),
        ({"code": "ĀĒ"}, "code"),
        ({"code": "A B"}, "code"),
        ({"name_lv": "  "}, "name_lv"),
        ({"name_en": ""}, "name_en"),
        ({"kind": "ministry"}, "kind"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_a_bad_agency_field_is_named_and_nothing_is_created(actor, change, field):
    with pytest.raises(Invalid) as caught:
        catalogue_services.agency_create(actor=actor, data=AGENCY_DATA | change)
    assert field in caught.value.field_errors
    assert not Agency.objects.filter(code="TESTA").exists()
    assert not AuditEvent.objects.filter(action="catalogue.agency.create").exists()


def test_a_municipality_with_centres_stays_a_municipality(actor, municipality):
    ServiceCentreFactory(municipality=municipality)
    with pytest.raises(Invalid) as caught:
        catalogue_services.agency_update(actor=actor, agency=municipality, data={"kind": "state"})
    assert "kind" in caught.value.field_errors


@pytest.mark.parametrize("kind", ["agency_admin", "agency_staff", "centre_admin", "centre_specialist", None])
def test_only_a_platform_admin_writes_agencies_and_centres(kind, municipality):
    user = StaffRoleFactory(kind=kind).user if kind else UserFactory()
    agency = AgencyFactory(code="TESTE", name_lv="Nemainīts")
    centre = ServiceCentreFactory(code="VPVKAC-KEEP", municipality=municipality, name_lv="Nemainīts")
    someone = Actor(user=user)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        catalogue_services.agency_create(actor=someone, data=AGENCY_DATA)
    with pytest.raises(PermissionDenied):
        catalogue_services.agency_update(actor=someone, agency=agency, data={"name_lv": "Mainīts"})
    with pytest.raises(PermissionDenied):
        catalogue_services.centre_create(actor=someone, data=_centre_data(municipality))
    with pytest.raises(PermissionDenied):
        catalogue_services.centre_update(actor=someone, centre=centre, data={"name_lv": "Mainīts"})
    with pytest.raises(PermissionDenied):
        payments_services.payee_set(actor=someone, agency=agency, **PAYEE_DATA)

    assert not Agency.objects.filter(code="TESTA").exists()
    assert not ServiceCentre.objects.filter(code="VPVKAC-TEST").exists()
    agency.refresh_from_db()
    centre.refresh_from_db()
    assert (agency.name_lv, centre.name_lv) == ("Nemainīts", "Nemainīts")
    assert not Payee.objects.filter(agency=agency).exists()
    assert AuditEvent.objects.count() == events


def test_the_system_actor_is_refused_too(municipality):
    with pytest.raises(PermissionDenied):
        catalogue_services.agency_create(actor=Actor.system("test"), data=AGENCY_DATA)


def test_a_superuser_counts_as_a_platform_admin():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    agency = catalogue_services.agency_create(actor=Actor(user=superuser), data=AGENCY_DATA)
    payee = payments_services.payee_set(actor=Actor(user=superuser), agency=agency, **PAYEE_DATA)
    assert payee.iban == IBAN


# --- services: centres -------------------------------------------------------------------------------


def test_a_platform_admin_creates_and_updates_a_centre(actor, municipality):
    centre = catalogue_services.centre_create(
        actor=actor, data=_centre_data(municipality, code="vpvkac-test")
    )

    assert centre.code == "VPVKAC-TEST"
    assert centre.municipality == municipality
    assert centre.opening_hours == "P–C 8:30–17:00"
    created = AuditEvent.objects.get(action="catalogue.centre.create")
    assert created.data["changed"]["municipality"] == [None, "TESTNOVADS"]

    other = AgencyFactory(code="CITSNOVADS", kind="municipality")
    updated = catalogue_services.centre_update(
        actor=actor, centre=centre, data={"municipality": other.code, "opening_hours": "P–Pk 9–17"}
    )

    centre.refresh_from_db()
    assert updated.municipality == other
    assert (centre.municipality_id, centre.opening_hours) == (other.pk, "P–Pk 9–17")
    event = AuditEvent.objects.get(action="catalogue.centre.update")
    assert event.data["changed"] == {
        "municipality": ["TESTNOVADS", "CITSNOVADS"],
        "opening_hours": ["P–C 8:30–17:00", "P–Pk 9–17"],
    }


def test_a_centre_s_municipality_must_be_a_municipality(actor, municipality):
    state = AgencyFactory(code="VSAA", kind="state")
    with pytest.raises(Invalid) as caught:
        catalogue_services.centre_create(
            actor=actor, data=_centre_data(municipality, municipality=state.code)
        )
    assert list(caught.value.field_errors) == ["municipality"]
    with pytest.raises(Invalid) as caught:
        catalogue_services.centre_create(actor=actor, data=_centre_data(municipality, municipality="NOSUCH"))
    assert list(caught.value.field_errors) == ["municipality"]
    assert not ServiceCentre.objects.filter(code="VPVKAC-TEST").exists()

    centre = ServiceCentreFactory(municipality=municipality)
    with pytest.raises(Invalid) as caught:
        catalogue_services.centre_update(actor=actor, centre=centre, data={"municipality": state.code})
    assert "municipality" in caught.value.field_errors
    centre.refresh_from_db()
    assert centre.municipality == municipality


def test_a_duplicate_centre_code_and_a_code_change_are_refused(actor, municipality):
    centre = ServiceCentreFactory(code="VPVKAC-TEST", municipality=municipality)
    with pytest.raises(Invalid) as caught:
        catalogue_services.centre_create(actor=actor, data=_centre_data(municipality))
    assert list(caught.value.field_errors) == ["code"]
    with pytest.raises(Invalid) as caught:
        catalogue_services.centre_update(actor=actor, centre=centre, data={"code": "VPVKAC-OTHER"})
    assert "code" in caught.value.field_errors
    assert ServiceCentre.objects.filter(code__startswith="VPVKAC-").count() == 1


def test_a_centre_code_may_be_forty_characters(actor, municipality):
    code = "VPVKAC-" + "X" * 33
    assert (
        catalogue_services.centre_create(actor=actor, data=_centre_data(municipality, code=code)).code == code
    )
    with pytest.raises(Invalid):
        catalogue_services.centre_create(actor=actor, data=_centre_data(municipality, code=code + "Y"))


# --- services: the payee -----------------------------------------------------------------------------


def test_a_payee_is_set_normalised_and_audited(actor):
    agency = AgencyFactory(code="TESTF")

    payee = payments_services.payee_set(
        actor=actor,
        agency=agency,
        legal_name=" Testa aģentūra ",
        registration_number=REG_NO,
        iban="lv80 bank 0000 4351 9500 1",
        bic=" trellv22 ",
    )

    payee.refresh_from_db()
    assert (payee.legal_name, payee.iban, payee.bic) == ("Testa aģentūra", IBAN, "TRELLV22")
    assert payee.iban_display == "LV80 BANK 0000 4351 9500 1"
    event = AuditEvent.objects.get(action="payments.payee.set")
    assert event.data["agency"] == "TESTF"
    assert event.data["changed"]["iban"] == [None, IBAN]


def test_a_payee_is_updated_in_place(actor):
    payee = PayeeFactory(agency=AgencyFactory(code="TESTG"))
    old_iban = payee.iban

    updated = payments_services.payee_set(actor=actor, agency=payee.agency, **PAYEE_DATA)

    assert updated.pk == payee.pk
    assert Payee.objects.filter(agency=payee.agency).count() == 1
    assert Payee.objects.get(pk=payee.pk).iban == IBAN
    event = AuditEvent.objects.get(action="payments.payee.set")
    assert event.data["changed"]["iban"] == [old_iban, IBAN]

    payments_services.payee_set(actor=actor, agency=payee.agency, **PAYEE_DATA)  # the same again
    assert AuditEvent.objects.filter(action="payments.payee.set").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"iban": "LV80BANK0000435195002"}, "iban"),  # a wrong check digit
        ({"iban": "not an iban"}, "iban"),
        ({"bic": "TREL"}, "bic"),
        ({"registration_number": "12345"}, "registration_number"),
        ({"legal_name": ""}, "legal_name"),
        ({"legal_name": "X" * 71}, "legal_name"),
    ],
)
def test_a_bad_payee_field_is_named_and_nothing_is_saved(actor, change, field):
    agency = AgencyFactory(code="TESTH")
    with pytest.raises(Invalid) as caught:
        payments_services.payee_set(actor=actor, agency=agency, **(PAYEE_DATA | change))
    assert field in caught.value.field_errors
    assert not Payee.objects.filter(agency=agency).exists()
    assert not AuditEvent.objects.filter(action="payments.payee.set").exists()


# --- pages -------------------------------------------------------------------------------------------


def _pages(agency, centre):
    return [
        reverse("access_rights:agency-list"),
        reverse("access_rights:agency-create"),
        reverse("access_rights:agency-edit", kwargs={"code": agency.code}),
        reverse("access_rights:centre-list"),
        reverse("access_rights:centre-create"),
        reverse("access_rights:centre-edit", kwargs={"code": centre.code}),
    ]


@pytest.mark.parametrize(
    "kind", ["agency_admin", "agency_staff", "centre_admin", "centre_specialist", "citizen"]
)
def test_the_pages_are_not_found_for_anyone_but_a_platform_admin(client, kind, municipality):
    user = UserFactory() if kind == "citizen" else StaffRoleFactory(kind=kind).user
    login(client, user)
    agency = AgencyFactory(code="TESTI", name_lv="Nemainīts")
    centre = ServiceCentreFactory(municipality=municipality, name_lv="Nemainīts")

    for url in _pages(agency, centre):
        assert client.get(url).status_code == 404, url
        assert client.post(url, AGENCY_DATA | PAYEE_DATA | _centre_data(municipality)).status_code == 404, url

    agency.refresh_from_db()
    centre.refresh_from_db()
    assert (agency.name_lv, centre.name_lv) == ("Nemainīts", "Nemainīts")
    assert not Agency.objects.filter(code="TESTA").exists()
    assert not ServiceCentre.objects.filter(code="VPVKAC-TEST").exists()
    assert not AuditEvent.objects.filter(
        action__in=["catalogue.agency.create", "catalogue.centre.create"]
    ).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, municipality):
    agency = AgencyFactory(code="TESTJ")
    centre = ServiceCentreFactory(municipality=municipality)
    for url in _pages(agency, centre):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("eaccount:login"))
        assert client.post(url, AGENCY_DATA).status_code == 302
    assert not Agency.objects.filter(code="TESTA").exists()


def test_a_platform_admin_adds_an_agency_with_its_payee(client, admin, settings):
    login(client, admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the success message is checked in English
    response = client.post(
        reverse("access_rights:agency-create"),
        AGENCY_DATA | PAYEE_DATA | {"iban": "LV80 BANK 0000 4351 9500 1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("access_rights:agency-list")
    agency = Agency.objects.get(code="TESTA")
    assert agency.payee.iban == IBAN
    assert AuditEvent.objects.filter(action="catalogue.agency.create", actor_id=admin.pk).exists()
    assert AuditEvent.objects.filter(action="payments.payee.set", actor_id=admin.pk).exists()

    page = client.get(reverse("access_rights:agency-list")).content.decode()
    assert "LV80 BANK 0000 4351 9500 1" in page
    assert "info@testa.gov.lv" in page
    assert "The agency TESTA was added." in page


def test_an_agency_without_payments_is_added_without_a_payee(client, admin):
    login(client, admin)
    response = client.post(reverse("access_rights:agency-create"), AGENCY_DATA)
    assert response.status_code == 302
    assert not Payee.objects.filter(agency__code="TESTA").exists()


def test_a_bad_iban_is_shown_next_to_its_field_and_nothing_is_saved(client, admin):
    login(client, admin)
    response = client.post(
        reverse("access_rights:agency-create"),
        AGENCY_DATA | PAYEE_DATA | {"iban": "LV80BANK0000435195002"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["iban"]
    assert 'id="id_iban_error"' in response.content.decode()
    assert not Agency.objects.filter(code="TESTA").exists()  # the agency is rolled back with its payee
    assert not AuditEvent.objects.filter(action="catalogue.agency.create").exists()


def test_the_bank_details_are_all_four_or_none(client, admin):
    login(client, admin)
    response = client.post(reverse("access_rights:agency-create"), AGENCY_DATA | {"iban": IBAN})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"legal_name", "registration_number", "bic"}
    assert not Agency.objects.filter(code="TESTA").exists()


def test_a_duplicate_code_is_shown_on_the_code_field(client, admin):
    AgencyFactory(code="TESTA")
    login(client, admin)
    response = client.post(reverse("access_rights:agency-create"), AGENCY_DATA)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["code"]


def test_a_platform_admin_edits_an_agency_and_its_payee(client, admin):
    payee = PayeeFactory(agency=AgencyFactory(code="TESTK", name_lv="Vecais"))
    login(client, admin)
    url = reverse("access_rights:agency-edit", kwargs={"code": "TESTK"})

    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["code"].field.disabled

    response = client.post(
        url, AGENCY_DATA | PAYEE_DATA | {"code": "HIJACK", "name_lv": "Jaunais", "bic": "HABALV22"}
    )

    assert response.status_code == 302
    agency = Agency.objects.get(pk=payee.agency.pk)
    assert (agency.code, agency.name_lv) == ("TESTK", "Jaunais")  # the code stays: the field is disabled
    payee.refresh_from_db()
    assert (payee.iban, payee.bic) == (IBAN, "HABALV22")
    event = AuditEvent.objects.get(action="catalogue.agency.update")
    assert event.data["changed"]["name_lv"] == ["Vecais", "Jaunais"]


def test_the_bank_details_cannot_be_emptied(client, admin):
    payee = PayeeFactory(agency=AgencyFactory(code="TESTL"))
    login(client, admin)
    response = client.post(
        reverse("access_rights:agency-edit", kwargs={"code": "TESTL"}), AGENCY_DATA | {"name_lv": "Cits"}
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()
    assert Payee.objects.filter(pk=payee.pk).exists()
    assert Agency.objects.get(code="TESTL").name_lv != "Cits"


def test_an_unknown_agency_or_centre_is_not_found(client, admin):
    login(client, admin)
    assert client.get(reverse("access_rights:agency-edit", kwargs={"code": "NOSUCH"})).status_code == 404
    assert client.get(reverse("access_rights:centre-edit", kwargs={"code": "NOSUCH"})).status_code == 404


def test_a_platform_admin_adds_and_edits_a_centre(client, admin, municipality):
    AgencyFactory(code="VSAA", kind="state")
    login(client, admin)

    form = client.get(reverse("access_rights:centre-create"))
    choices = [value for value, _label in form.context["form"].fields["municipality"].choices]
    assert choices == ["", "TESTNOVADS"]  # municipalities only

    response = client.post(reverse("access_rights:centre-create"), _centre_data(municipality))
    assert response.status_code == 302
    assert response["Location"] == reverse("access_rights:centre-list")
    centre = ServiceCentre.objects.get(code="VPVKAC-TEST")
    assert centre.municipality == municipality

    response = client.post(
        reverse("access_rights:centre-edit", kwargs={"code": "VPVKAC-TEST"}),
        _centre_data(municipality, address="Rīgas iela 2", municipality="VSAA"),
    )
    assert response.status_code == 422
    assert "municipality" in response.context["form"].errors

    response = client.post(
        reverse("access_rights:centre-edit", kwargs={"code": "VPVKAC-TEST"}),
        _centre_data(municipality, address="Rīgas iela 2"),
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.address == "Rīgas iela 2"
    assert AuditEvent.objects.filter(action="catalogue.centre.update", actor_id=admin.pk).count() == 1


def test_a_bad_centre_field_is_shown_next_to_it(client, admin, municipality):
    login(client, admin)
    response = client.post(
        reverse("access_rights:centre-create"), _centre_data(municipality, email="nope", code="A")
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"code", "email"}
    assert not ServiceCentre.objects.exists()


def test_a_hostile_name_is_escaped_on_the_lists(client, admin):
    hostile = "<script>alert(1)</script>"
    municipality = AgencyFactory(code="EVIL", name_lv=hostile, name_en=hostile, kind="municipality")
    ServiceCentreFactory(code="VPVKAC-EVIL", name_lv=hostile, municipality=municipality, address=hostile)
    login(client, admin)
    for url in (reverse("access_rights:agency-list"), reverse("access_rights:centre-list")):
        page = client.get(url).content.decode()
        assert hostile not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("list_name", ["access_rights:agency-list", "access_rights:centre-list"])
def test_the_lists_cost_the_same_few_queries_for_any_number_of_rows(
    client, admin, django_assert_max_num_queries, list_name
):
    login(client, admin)
    municipality = AgencyFactory(code="MANYNOVADS", kind="municipality")
    for n in range(3):
        PayeeFactory(agency=AgencyFactory(code=f"PAY{n}"))
        ServiceCentreFactory(
            code=f"VPVKAC-N{n}", municipality=AgencyFactory(code=f"NOV{n}", kind="municipality")
        )
    client.get(reverse(list_name))  # the session and caches warm

    with django_assert_max_num_queries(3):
        few = client.get(reverse(list_name))
    for n in range(3, 30):
        PayeeFactory(agency=AgencyFactory(code=f"PAY{n}"))
        ServiceCentreFactory(code=f"VPVKAC-N{n}", municipality=municipality)
    with django_assert_max_num_queries(3):
        many = client.get(reverse(list_name))
    assert few.status_code == many.status_code == 200
    assert many.context["page"].paginator.num_pages == 2


def test_the_second_page_of_a_list(client, admin):
    for n in range(30):
        AgencyFactory(code=f"P{n:03d}")
    login(client, admin)
    response = client.get(reverse("access_rights:agency-list"), {"page": "2"})
    assert response.status_code == 200
    assert [agency.code for agency, _payee in response.context["rows"]][0] == "P025"
