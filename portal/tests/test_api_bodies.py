"""The API takes JSON request bodies only, and its schema says so."""

import json

import pytest
from rest_framework.test import APIClient

from api_clients import services as api_client_services
from catalogue.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_the_schema_advertises_json_request_bodies_only(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    bodies = {
        (path, method): set(operation["requestBody"]["content"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }

    assert bodies, "the API has operations with a body"
    assert {kind for kinds in bodies.values() for kind in kinds} == {"application/json"}


@pytest.mark.parametrize("body_format", ["multipart", "urlencoded"])
def test_a_form_body_is_refused_with_a_problem(body_format):
    key = api_client_services.api_client_create(agency=AgencyFactory(), name="Back office").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    if body_format == "multipart":
        response = api.post(
            "/api/v1/cases/", {"service": "1011"}, format="multipart", HTTP_IDEMPOTENCY_KEY="k"
        )
    else:
        response = api.generic(
            "POST",
            "/api/v1/cases/",
            "service=1011",
            content_type="application/x-www-form-urlencoded",
            HTTP_IDEMPOTENCY_KEY="k",
        )

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_a_nul_character_in_a_json_body_is_a_bad_request():
    key = api_client_services.api_client_create(agency=AgencyFactory(), name="Back office").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = api.post(
        "/api/v1/cases/", {"service": "1011", "note": "a\x00b"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
