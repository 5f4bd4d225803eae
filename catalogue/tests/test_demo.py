import pytest

from catalogue.demo import load_pilot_catalogue
from catalogue.models import Service, ServiceVersion
from catalogue.selectors import ServiceNotFound, service_get_published, service_version_current


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
    services.service_update(service=service, user=admin, data={**data, "title_lv": "Bērna pabalsts (jauns)"})
    services.service_publish(service=service, user=admin)
    data = services.service_working_snapshot(service=service)
    services.service_update(service=service, user=admin, data={**data, "title_en": "Pending title"})
    versions = ServiceVersion.objects.count()

    # when the demo data is loaded again (as `scripts/start` does on every start)
    load_pilot_catalogue()

    # then the published edit, the pending one and the version history are all still there
    service.refresh_from_db()
    assert service.title_lv == "Bērna pabalsts (jauns)" and service.version == 2
    assert service.pending["title_en"] == "Pending title"
    assert ServiceVersion.objects.count() == versions
