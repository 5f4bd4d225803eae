"""The editor's pages: the e-service channel's message, the subject and minor rules of a service, and
how the preview shows an e-form's subjects and date limits."""

import pytest

from catalogue.models import Service, ServiceVersion

from .test_views import _form_data

# --- the editor: the e-service channel and its e-form -------------------------------------------------


@pytest.mark.django_db
def test_an_e_service_without_an_eform_is_refused_naming_the_channel_as_its_checkbox(login, people):
    client = login(people["vsaa_admin"])  # pages open in Latvian
    data = _form_data(client, "1011")
    data["eform"] = ""

    response = client.post("/services/manage/1011/edit/", data)

    form = response.context["form"]
    label = str(form.fields["channel_e_service"].label)
    assert response.status_code == 400
    assert label == "E-pakalpojums portālā"
    assert any(label in message for message in form.errors["eform"]), form.errors["eform"]
    assert Service.objects.get(code="1011").pending is None


@pytest.mark.django_db
def test_an_eform_without_the_e_service_channel_is_refused_naming_the_channel_as_its_checkbox(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    del data["channel_e_service"]

    response = client.post("/services/manage/1011/edit/", data)

    form = response.context["form"]
    assert response.status_code == 400
    assert any(str(form.fields["channel_e_service"].label) in m for m in form.errors["eform"])


# --- the editor: one open case per subject, a minor as the client -------------------------------------


@pytest.mark.django_db
def test_the_edit_form_shows_the_services_rules_for_subjects_and_minors(login, people):
    client = login(people["pmlp_admin"])

    form = client.get("/services/manage/1030/edit/").context["form"]

    assert form.initial["minor_may_be_client"] is True
    assert form.initial["one_open_case_per_subject"] is False
    assert "one_open_case_per_subject" in form.fields and "minor_may_be_client" in form.fields


@pytest.mark.django_db
def test_an_agency_admin_sets_one_open_case_and_minor_client_then_previews_publishes_and_sees_history(
    login, people
):
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    data = _form_data(client, "1013")
    assert "one_open_case_per_subject" not in data and "minor_may_be_client" not in data
    data["one_open_case_per_subject"] = "on"
    data["minor_may_be_client"] = "on"

    response = client.post("/services/manage/1013/edit/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    service = Service.objects.get(code="1013")
    assert not service.one_open_case_per_subject and not service.minor_may_be_client  # not public yet
    assert (
        service.pending["one_open_case_per_subject"] is True
        and service.pending["minor_may_be_client"] is True
    )
    preview = client.get("/services/manage/1013/preview/").content.decode()
    assert "A new application about the same person is accepted once the previous one is closed." in preview
    assert "A parent may apply with the child as the client." in preview

    assert client.post("/services/manage/1013/publish/", {"confirm": "on"}).status_code == 302

    service.refresh_from_db()
    assert service.one_open_case_per_subject and service.minor_may_be_client and service.version == 2
    changes = ServiceVersion.objects.get(service=service, number=2).changes
    assert changes["one_open_case_per_subject"] == {"old": False, "new": True}
    assert changes["minor_may_be_client"] == {"old": False, "new": True}
    history = client.get("/services/manage/1013/history/").content.decode()
    assert "One open case per subject" in history and "A minor may be the client" in history
    assert "A new application about the same person" in client.get("/services/1013/").content.decode()


@pytest.mark.django_db
def test_an_agency_admin_clears_one_open_case_per_subject(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    assert data["one_open_case_per_subject"] == "on"
    del data["one_open_case_per_subject"]

    client.post("/services/manage/1011/edit/", data)
    client.post("/services/manage/1011/publish/", {"confirm": "on"})

    assert Service.objects.get(code="1011").one_open_case_per_subject is False


@pytest.mark.django_db
def test_the_preview_lists_the_eforms_subjects_and_date_limits(login, people):
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"

    preview = client.get("/services/manage/1011/preview/").content.decode()

    assert "not in the future; at most 12 months ago; subject: child" in preview
    assert "the person the case is about" in preview


def test_the_preview_shows_absolute_date_limits_the_latvian_way():
    from django.utils import translation

    from catalogue.templatetags.catalogue_tags import eform_limits

    with translation.override("lv"):
        shown = eform_limits({"type": "date", "min": "1990-01-01", "max": "2000-12-31"})

    assert "01.01.1990" in shown and "31.12.2000" in shown and "1990-01-01" not in shown
