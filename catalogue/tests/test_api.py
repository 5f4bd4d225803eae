import pytest
from django.db import connection

from catalogue.models import Service, ServiceVersion

from .factories import ServiceFactory
from .test_views import WHO, state_of


@pytest.mark.django_db
def test_list_is_public_paginated_and_searchable(client, pilot):
    response = client.get("/api/v1/services/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Service.objects.filter(state="published", internal=False).count()
    assert len(body["results"]) == 20 and body["next"]
    codes = [s["code"] for s in client.get("/api/v1/services/", {"q": "berna pabalst"}).json()["results"]]
    assert "1011" in codes
    if connection.vendor == "postgresql":
        assert "1011" in codes[:3]
    typo = client.get("/api/v1/services/", {"q": "piedzimsanss pabalsts"}).json()["results"]
    if connection.vendor == "postgresql":
        assert "1011" in [s["code"] for s in typo]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, check",
    [
        ({"agency": "PMLP"}, lambda s: s["agency"]["code"] == "PMLP"),
        ({"channel": "e_service"}, lambda s: "e_service" in s["channels"]),
        ({"audience": "organisation"}, lambda s: s["audience"] == "organisation"),
        (
            {"life_event": "child_birth"},
            lambda s: (
                s["code"] in {"1011", "1012", "1013", "1014", "1017", "1020", "1030", "2001", "2002", "2101"}
            ),
        ),
    ],
)
def test_list_filters(client, pilot, params, check):
    results = client.get("/api/v1/services/", {**params, "page_size": 100}).json()["results"]
    assert results and all(check(s) for s in results)


@pytest.mark.django_db
def test_unknown_filter_values_give_empty_results(client, pilot):
    for params in ({"agency": "NOPE"}, {"life_event": "no_such_event"}, {"category": "none"}):
        response = client.get("/api/v1/services/", params)
        assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        ({"channel": "teleport"}, "channel"),  # not in the schema's enum
        ({"audience": "martians"}, "audience"),
        ({"life_event": "x" * 500}, "life_event"),  # longer than maxLength
        ({"page": "0"}, "page"),
        ({"page": "1e3"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "null"}, "page_size"),
        ({"page_size": ""}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"channel": ""}, "channel"),
    ],
)
def test_query_outside_the_schema_is_a_problem_400(client, pilot, params, field):
    response = client.get("/api/v1/services/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_a_page_past_the_last_and_an_overlong_code_are_problem_404(client, pilot):
    for url in ("/api/v1/services/?page=999", "/api/v1/services/" + "9" * 300 + "/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_detail_has_the_eform(client, pilot):
    response = client.get("/api/v1/services/1011/")
    assert response.status_code == 200
    body = response.json()
    assert body["title_lv"] == "Bērna piedzimšanas pabalsts"
    assert body["agency"]["code"] == "VSAA"
    assert [f["name"] for f in body["eform"]] == [
        "child_personal_code",
        "child_birth_date",
        "iban",
        "document",
        "comment",
    ]
    assert body["eform"][0]["type"] == "personal_code" and body["eform"][0]["required"] is True
    assert {c["code"] for c in body["channels"]} == {"e_service", "vpvkac", "agency", "post"}
    vpvkac = next(c for c in body["channels"] if c["code"] == "vpvkac")
    assert {c["code"] for c in vpvkac["centres"]} == {"VPVKAC-RIGA", "VPVKAC-ROJA", "VPVKAC-VALMIERA"}


@pytest.mark.django_db
def test_detail_tells_the_subject_rules_of_the_service_and_its_eform(client, pilot):
    body = client.get("/api/v1/services/1011/").json()

    assert body["one_open_case_per_subject"] is True and body["minor_may_be_client"] is False
    code, born = body["eform"][0], body["eform"][1]
    assert code["case_subject"] is True and code["subject"] == "child"
    assert born["subject"] == "child" and born["not_in_future"] is True and born["max_months_ago"] == 12
    assert body["life_events"] == ["child_birth"] and body["version"] == 1
    assert body["facets"]["multichannel"]["available"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["9999", "abc", "1011'--", "%25"])
def test_detail_404_is_a_problem(client, pilot, code):
    response = client.get(f"/api/v1/services/{code}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_internal_services_only_for_officials(client, people):
    ServiceFactory(code="9300", internal=True)
    assert client.get("/api/v1/services/9300/").status_code == 404
    client.force_login(people["vsaa_staff"])
    assert client.get("/api/v1/services/9300/").status_code == 200


EXPECTED_API = {  # PATCH on 1011 (VSAA) and on 1030 (PMLP); 404 alike for missing and not editable
    "anonymous": (403, 403),
    "citizen": (404, 404),
    "vsaa_staff": (404, 404),
    "vsaa_admin": (200, 404),
    "pmlp_admin": (404, 200),
    "platform_admin": (200, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("code", ["1011", "1030"])
def test_write_api_uses_the_same_permission_check(client, people, who, code):
    expected = EXPECTED_API[who][0 if code == "1011" else 1]
    before = state_of(code)
    if people[who] is not None:
        client.force_login(people[who])
    patch = client.patch(
        f"/api/v1/services/{code}/", {"title_en": "Changed by API"}, content_type="application/json"
    )
    assert patch.status_code == expected
    publish = client.post(f"/api/v1/services/{code}/publish/")
    assert publish.status_code == expected
    if expected != 200:
        assert patch["Content-Type"].startswith("application/problem+json")
        assert state_of(code) == before
    else:
        service = Service.objects.get(code=code)
        assert service.title_en == "Changed by API" and service.version == 2
        assert ServiceVersion.objects.filter(service=service).count() == 2


@pytest.mark.django_db
def test_write_api_refuses_a_bad_eform(client, people):
    client.force_login(people["vsaa_admin"])
    before = state_of("1011")
    response = client.patch(
        "/api/v1/services/1011/",
        {"eform": [{"name": "a", "type": "hologram", "label_lv": "A"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert state_of("1011") == before


@pytest.mark.django_db
def test_openapi_schema_describes_the_catalogue(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/services/" in schema["paths"]
    assert "/api/v1/services/{code}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/services/"]["get"]["parameters"]}
    assert {"q", "agency", "life_event", "channel", "audience", "page"} <= params
    assert client.get("/api/docs/").status_code == 200
