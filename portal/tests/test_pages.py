"""The base layout keeps its accessibility structure; the header shows who is logged in."""

import pytest

from eaccount.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_has_the_accessible_structure(client):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    assert content.count("<h1") == 1


def test_header_shows_the_logged_in_person_and_whom_they_act_for(client):
    user = UserFactory(person__first_name="Līga", person__last_name="Ozola")
    client.post("/account/login/", {"person": user.person.pk, "means": "eid_card"})
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="current-user">Līga Ozola<' in content
    assert 'data-testid="acting-for"' in content


def test_demo_banner_is_shown_only_while_demo_login_is_on(client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    assert "demo-banner" in client.get("/").content.decode()
    settings.DEMO_LOGIN_ENABLED = False
    assert "demo-banner" not in client.get("/").content.decode()
