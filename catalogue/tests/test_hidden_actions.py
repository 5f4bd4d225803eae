"""The editing actions the preview hides, POSTed directly: refused, nothing changed."""

import pytest

from catalogue import rules
from catalogue.models import Service, ServiceVersion

pytestmark = pytest.mark.django_db


def state_of(code):
    service = Service.objects.get(code=code)
    return (
        service.state,
        service.version,
        service.pending,
        ServiceVersion.objects.filter(service=service).count(),
    )


def test_publishing_a_public_service_without_changes_is_refused(login, people):
    client = login(people["vsaa_admin"])
    service = Service.objects.get(code="1011")
    assert not rules.service_publish_allowed(service)
    assert (
        "/services/manage/1011/publish/" not in client.get("/services/manage/1011/preview/").content.decode()
    )
    before = state_of("1011")

    response = client.post("/services/manage/1011/publish/")

    assert response.status_code == 302
    assert state_of("1011") == before


def test_discarding_when_nothing_is_pending_is_refused(login, people):
    client = login(people["vsaa_admin"])
    assert not rules.service_discard_allowed(Service.objects.get(code="1011"))
    assert (
        "/services/manage/1011/discard/" not in client.get("/services/manage/1011/preview/").content.decode()
    )
    before = state_of("1011")

    client.post("/services/manage/1011/discard/")

    assert state_of("1011") == before


def test_withdrawing_a_withdrawn_service_is_refused(login, people):
    client = login(people["vsaa_admin"])
    client.post("/services/manage/1011/withdraw/")
    service = Service.objects.get(code="1011")
    assert service.state == "withdrawn" and not rules.service_withdraw_allowed(service)
    assert (
        "/services/manage/1011/withdraw/" not in client.get("/services/manage/1011/preview/").content.decode()
    )
    before = state_of("1011")

    client.post("/services/manage/1011/withdraw/")

    assert state_of("1011") == before
