import datetime
import json

import pytest
from django.utils import timezone

from catalogue.demo import FIXTURE, load_pilot_catalogue
from catalogue.eforms import eform_case_subject, eform_definition_validate, eform_validate
from catalogue.models import Service, ServiceVersion
from catalogue.selectors import ServiceNotFound, service_get_published, service_version_current
from kernel.actors import Actor

from .factories import person_user, personal_code_born
from .test_views import _form_data, state_of


@pytest.mark.django_db
def test_load_pilot_catalogue_is_idempotent_and_versions_every_service():
    first = load_pilot_catalogue()
    count = Service.objects.count()
    assert ServiceVersion.objects.count() == count
    second = load_pilot_catalogue()
    assert first == second
    assert Service.objects.count() == count
    assert ServiceVersion.objects.count() == count  # nothing changed: no new version

    service = service_get_published(code="1011")
    assert service.title_lv == "Bērna piedzimšanas pabalsts"
    version = service_version_current(service=service)
    assert version.number == 1 == service.version
    assert [f["name"] for f in version.eform] == [
        "child_personal_code",
        "child_birth_date",
        "iban",
        "document",
        "comment",
    ]
    for code in ("1002", "1030", "1033"):
        assert service_get_published(code=code).eform


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["9999", "", "1011' OR 1=1 --", "x" * 10000])
def test_missing_service(code):
    load_pilot_catalogue()
    with pytest.raises(ServiceNotFound):
        service_get_published(code=code)
    with pytest.raises(Service.DoesNotExist):
        service_get_published(code=code)


@pytest.mark.django_db
def test_loading_again_keeps_what_the_agency_admin_changed(people):
    # given the VSAA admin published a new title for 1011 and left another change pending
    from catalogue import services

    admin = people["vsaa_admin"]
    service = service_get_published(code="1011")
    data = services.service_working_snapshot(service=service)
    services.service_update(
        service=service, actor=Actor(user=admin), data={**data, "title_lv": "Bērna pabalsts (jauns)"}
    )
    services.service_publish(service=service, actor=Actor(user=admin))
    data = services.service_working_snapshot(service=service)
    services.service_update(
        service=service, actor=Actor(user=admin), data={**data, "title_en": "Pending title"}
    )
    versions = ServiceVersion.objects.count()

    # when the demo data is loaded again (as `scripts/start` does on every start)
    load_pilot_catalogue()

    # then the published edit, the pending one and the version history are all still there
    service.refresh_from_db()
    assert service.title_lv == "Bērna pabalsts (jauns)" and service.version == 2
    assert service.pending["title_en"] == "Pending title"
    assert ServiceVersion.objects.count() == versions


# --- the seeded services and their e-forms -------------------------------------------------------------

FIXTURE_SERVICES = json.loads(FIXTURE.read_text(encoding="utf-8"))["services"]
E_SERVICES = [row for row in FIXTURE_SERVICES if "e_service" in row["channels"]]


@pytest.mark.parametrize("row", E_SERVICES, ids=lambda row: row["code"])
def test_every_seeded_e_service_has_a_real_eform(row):
    assert row.get("eform"), f"{row['code']} claims the e-service channel without an e-form"

    fields = eform_definition_validate(row["eform"])

    assert len(fields) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("code", [row["code"] for row in FIXTURE_SERVICES])
def test_an_agency_admin_saves_a_seeded_service_unchanged(login, pilot, code):
    # given an admin of the service's own agency on its edit page
    service = Service.objects.get(code=code)
    client = login(person_user(role="agency_admin", agency=service.agency))
    data = _form_data(client, code)
    before = state_of(code)

    # when they save it without changing anything
    response = client.post(f"/services/manage/{code}/edit/", data)

    # then it is accepted, and there is nothing to publish
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert state_of(code) == before


@pytest.mark.django_db
def test_the_loader_sets_each_services_rules_for_subjects_and_minors(pilot):
    rows = {row["code"]: row for row in FIXTURE_SERVICES}

    loaded = {
        s.code: (s.one_open_case_per_subject, s.minor_may_be_client)
        for s in Service.objects.filter(code__in=list(rows))
    }

    assert loaded == {
        code: (row.get("one_open_case_per_subject", False), row.get("minor_may_be_client", False))
        for code, row in rows.items()
    }
    assert loaded["1011"] == (True, False)  # filed by a parent about the child: the parent is the client
    assert loaded["1031"][1] and loaded["1032"][1]  # a child's passport or ID card: the child is the client


@pytest.mark.django_db
def test_childbirth_benefit_is_about_a_child_born_within_the_last_twelve_months(pilot):
    service = service_get_published(code="1011")
    definition = service_version_current(service=service).eform
    born = timezone.localdate() - datetime.timedelta(days=40)
    baby = personal_code_born(born)
    data = {
        "child_personal_code": baby,
        "child_birth_date": born.isoformat(),
        "iban": "LV80BANK0000435195001",
    }

    result = eform_validate(definition=definition, data=data)

    assert result.is_valid, result.errors
    assert eform_case_subject(definition=definition, cleaned=result.cleaned) == baby
    assert service.one_open_case_per_subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"child_birth_date": "FUTURE"},  # not in the future
        {"child_birth_date": "OLD", "child_personal_code": "OLD"},  # older than 12 months
        {"child_birth_date": "OTHER"},  # not the date in the personal code
    ],
)
def test_childbirth_benefit_refuses_a_birth_date_out_of_bounds_or_not_matching(pilot, change):
    definition = service_version_current(service=service_get_published(code="1011")).eform
    today = timezone.localdate()
    dates = {
        "FUTURE": today + datetime.timedelta(days=1),
        "OLD": today - datetime.timedelta(days=400),
        "OTHER": today - datetime.timedelta(days=41),
    }
    born = today - datetime.timedelta(days=40)
    data = {
        "child_personal_code": personal_code_born(born),
        "child_birth_date": born.isoformat(),
        "iban": "LV80BANK0000435195001",
    }
    for key, value in change.items():
        data[key] = (
            personal_code_born(dates[value]) if key == "child_personal_code" else dates[value].isoformat()
        )

    result = eform_validate(definition=definition, data=data)

    assert list(result.errors) == ["child_birth_date"]
