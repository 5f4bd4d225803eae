"""/healthz reports database, cache and broker; 503 (not 500) when the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_part(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["database"]["status"] == "ok"
    assert body["cache"]["status"] == "ok"
    assert body["broker"]["status"] == ("ok" if settings.CELERY_BROKER_URL else "eager")
    assert body["status"] == "ok"
    assert isinstance(body["database"]["ms"], float)


def test_healthz_answers_503_when_the_database_is_down(client):
    # given a database that refuses connections
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("portal.health.connection", broken):
        # when the health is asked for
        response = client.get("/healthz")
    # then it answers 503 with a JSON body that says the database is the problem
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"status": "error", "error": "OperationalError"}
    assert "connection refused" not in response.content.decode()  # no internals leak


def test_healthz_is_degraded_but_serving_when_the_cache_is_down(client):
    with mock.patch("portal.health.cache") as broken_cache:
        broken_cache.set.side_effect = ConnectionError("redis down")
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["cache"]["status"] == "error"


def test_healthz_is_degraded_when_the_broker_is_unreachable(client, settings):
    # given a broker on a closed port
    from kombu import Connection

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with mock.patch("portal.celery.app.connection_for_write", lambda: Connection("redis://127.0.0.1:1/0")):
        response = client.get("/healthz")
    # then the portal still serves, and says the broker is the problem
    assert response.status_code == 200
    assert response.json()["broker"]["status"] == "error"
    assert response.json()["status"] == "degraded"


def test_healthz_needs_no_login(client):
    client.logout()
    assert client.get("/healthz").status_code == 200
