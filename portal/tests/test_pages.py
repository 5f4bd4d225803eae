"""The base layout keeps its accessibility structure; the header shows who is logged in."""

import pytest

from eaccount.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_has_the_accessible_structure(client):
    client.cookies["django_language"] = "en"
    content = client.get("/").content.decode()
    assert '<html lang="en">' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    assert content.count("<h1") == 1


def test_header_shows_the_logged_in_person_and_whom_they_act_for(client):
    user = UserFactory(person__first_name="Līga", person__last_name="Ozola")
    client.post("/account/login/", {"person": user.person.pk, "means": "eid_card"})
    client.cookies["django_language"] = "en"
    content = client.get("/").content.decode()
    assert 'data-testid="current-user">Līga Ozola<' in content
    assert 'data-testid="acting-for"' in content


def test_demo_banner_is_shown_only_while_demo_login_is_on(client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    assert "demo-banner" in client.get("/").content.decode()
    settings.DEMO_LOGIN_ENABLED = False
    assert "demo-banner" not in client.get("/").content.decode()


def test_not_found_page_is_in_the_layout_and_the_page_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert content.count("<h1") == 1
    assert "Page not found" in content


def test_server_error_page_is_in_latvian_by_default_and_stands_alone(rf):
    from portal.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="lv">' in content
    assert content.count("<h1") == 1


def test_csrf_failure_page_explains_in_the_page_language(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies["django_language"] = "en"
    response = strict.post("/account/login/", {"person": 1})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
