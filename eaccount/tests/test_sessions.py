"""The idle timeout: a session ends 15 minutes (configurable) after the last request."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import UserFactory

pytestmark = pytest.mark.django_db

RENEWED_AT = "_renewed_at"  # portal.middleware.SessionRenewalMiddleware's mark


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


def _session_writes(client, url="/account/profile/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_the_idle_timeout_is_renewed_without_a_write_on_every_request(client):
    logged_in(client)
    client.get("/account/profile/")  # the first request after login renews
    key = client.session.session_key
    # given a session that has been idle for 10 minutes, last renewed more than a minute ago
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    session = client.session
    session[RENEWED_AT] = int(time.time()) - 61
    session.save()
    # when the user does something, the 15 minutes start again (one write)
    assert len(_session_writes(client)) == 1
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=14)
    # and the requests of the next minute write nothing (a page costs no database write)
    assert _session_writes(client) == []
    assert _session_writes(client, "/") == []


def test_a_visitor_without_a_session_gets_none(client):
    client.get("/")
    client.get("/services/")
    assert not Session.objects.exists()


def test_an_idle_session_is_logged_out(client):
    # given a logged-in user whose session has been idle longer than the timeout
    logged_in(client)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.delete(KEY_PREFIX + key)  # the cached copy (cached_db) ends with the row: both were set together
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
