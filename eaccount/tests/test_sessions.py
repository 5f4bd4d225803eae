"""The idle timeout: a session ends 15 minutes (configurable) after the last request."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(client):
    user = UserFactory()
    response = client.post("/account/login/", {"person": user.person.pk, "means": "eid_card"})
    assert response.status_code == 302
    return user


def test_session_lasts_fifteen_minutes_and_ends_with_the_browser(client, settings):
    logged_in(client)
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert client.session.get_expiry_age() == 900
    assert client.session.get_expire_at_browser_close() is True
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # a browser session cookie: gone when a public computer's browser closes


def test_every_request_renews_the_idle_timeout(client):
    logged_in(client)
    row = Session.objects.get(session_key=client.session.session_key)
    # given a session that has been idle for 10 minutes
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    # when the user does something
    assert client.get("/account/profile/").status_code == 200
    # then the 15 minutes start again
    renewed = Session.objects.get(pk=row.pk).expire_date
    assert renewed > timezone.now() + timedelta(minutes=14)


def test_an_idle_session_is_logged_out(client):
    # given a logged-in user whose session has been idle longer than the timeout
    logged_in(client)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    # when they come back
    response = client.get("/account/profile/")
    # then they must log in again
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")
    assert SESSION_KEY not in client.session


def test_a_new_session_key_is_issued_at_login(client):
    client.get("/account/login/")
    client.session.save()
    before = client.session.session_key
    logged_in(client)
    assert client.session.session_key != before
