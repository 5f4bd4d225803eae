"""The case API over HTTP: the "Done when" flow, agency scoping, idempotency, bad input, pagination,
citizen sessions, authentication and fixed query counts. Runs on SQLite and PostgreSQL."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api_clients import services as services_api
from api_clients.api.idempotency import KEY_PATTERN, request_fingerprint
from api_clients.models import ApiClient, IdempotencyRecord
from audit.models import AuditEvent
from catalogue.demo import load_pilot_catalogue
from catalogue.models import Agency, Service
from catalogue.selectors import service_get_published
from eaccount.demo import load_demo_people
from eaccount.models import Organisation, Person
from eaccount.tests.factories import PersonFactory
from kernel.actors import Actor
from requests_registry import services
from requests_registry.api.serializers import CaseDetailOut, CaseOut
from requests_registry.models import Case, StatusChange

from .factories import newborn_child_data

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.API_CLIENT_CACHE_SECONDS = 0  # every request authenticates with one query: counts are exact
    load_pilot_catalogue()
    return load_demo_people()


def _api(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def vsaa(demo):
    credentials = services_api.api_client_create(
        agency=Agency.objects.get(code="VSAA"), name="VSAA back office"
    )
    return _api(credentials.key)


@pytest.fixture
def pmlp(demo):
    credentials = services_api.api_client_create(agency=Agency.objects.get(code="PMLP"), name="PMLP system")
    return _api(credentials.key)


def _file_1011(person: Person) -> Case:
    """A case of 1011 filed online by the person (the core's case_submit)."""
    return services.case_submit(
        service=service_get_published(code="1011"),
        client=person,
        actor=Actor(user=person.user, basis="self", channel="e_service"),
        data=newborn_child_data(),
    )


@pytest.fixture
def case(demo) -> Case:
    return _file_1011(demo["citizen_parent"])


def _other_citizen_case() -> Case:
    from eaccount.services import user_create_for_person

    person = PersonFactory()
    user_create_for_person(person=person)
    return _file_1011(person)


def _push(api: APIClient, number: str, body, key: str | None = "k-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return api.post(
        f"/api/v1/cases/{number}/status-changes/",
        payload,
        content_type="application/json",
        **headers,
        **extra,
    )


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def _snapshot(case: Case):
    case.refresh_from_db()
    return (
        case.status,
        case.updated_at,
        list(StatusChange.objects.filter(case=case).values_list("seq", "to_status")),
    )


# --- the "Done when" flow ----------------------------------------------------------------------------


def test_done_when_flow(demo, case, vsaa, pmlp):
    anna = demo["citizen_parent"]
    assert case.number.startswith("1011-")

    # the VSAA back office pulls it
    listed = vsaa.get("/api/v1/cases/", {"service": "1011", "status": "submitted"})
    assert listed.status_code == 200
    assert [c["number"] for c in listed.json()["results"]] == [case.number]
    detail = vsaa.get(f"/api/v1/cases/{case.number}/").json()
    assert detail["status"] == "submitted"
    assert detail["client"] == {"type": "person", "identifier": anna.personal_code, "name": anna.full_name}
    assert [h["to_status"] for h in detail["history"]] == ["submitted"]

    # pushes registered, then in_progress
    registered = _push(vsaa, case.number, {"status": "registered", "note": "Received"}, key="push-1")
    assert registered.status_code == 201, registered.content
    first = _push(vsaa, case.number, {"status": "in_progress"}, key="push-2")
    assert first.status_code == 201
    assert first.json()["status"] == "in_progress"
    assert [h["to_status"] for h in first.json()["history"]] == ["submitted", "registered", "in_progress"]

    # a retried push with the same key changes nothing and answers the same
    before = _snapshot(case)
    retry = _push(vsaa, case.number, {"status": "in_progress"}, key="push-2")
    assert retry.status_code == first.status_code
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert _snapshot(case) == before
    assert StatusChange.objects.filter(case=case, to_status="in_progress").count() == 1

    # the same key with another body is refused, nothing changes
    reused = _push(vsaa, case.number, {"status": "needs_info"}, key="push-2")
    _assert_problem(reused, 422)
    assert _snapshot(case) == before

    # who did it is recorded in the history and the audit trail
    change = StatusChange.objects.get(case=case, to_status="in_progress")
    assert change.system_label == "API: VSAA back office (VSAA)"
    assert change.actor_id is None
    assert (
        AuditEvent.objects.filter(
            object_id=str(case.pk), action="case.status", reason="API: VSAA back office (VSAA)"
        ).count()
        == 2
    )

    # the citizen sees both through their session
    citizen = APIClient()
    citizen.force_login(anna.user)
    seen = citizen.get(f"/api/v1/cases/{case.number}/")
    assert seen.status_code == 200
    assert seen.json()["status"] == "in_progress"
    assert [h["to_status"] for h in seen.json()["history"]] == ["submitted", "registered", "in_progress"]

    # a PMLP client gets 404 for it, reading and pushing, and nothing changes
    _assert_problem(pmlp.get(f"/api/v1/cases/{case.number}/"), 404)
    _assert_problem(_push(pmlp, case.number, {"status": "needs_info"}, key="pmlp-1"), 404)
    assert pmlp.get("/api/v1/cases/").json()["results"] == []
    assert _snapshot(case) == before


def test_answers_match_the_documented_shapes(case, vsaa):
    detail = vsaa.get(f"/api/v1/cases/{case.number}/").json()
    assert set(detail) == set(CaseDetailOut().fields)
    assert set(detail["history"][0]) == set(CaseDetailOut().fields["history"].child.fields)
    listed = vsaa.get("/api/v1/cases/").json()
    assert set(listed) == {"next", "previous", "results"}
    assert set(listed["results"][0]) == set(CaseOut().fields)


def test_push_answers_409_while_the_first_request_is_in_progress(case, vsaa):
    client = ApiClient.objects.get(name="VSAA back office")
    path = f"/api/v1/cases/{case.number}/status-changes/"
    body = {"status": "registered"}
    IdempotencyRecord.objects.create(
        client=client,
        key="busy",
        fingerprint=request_fingerprint(SimpleNamespace(method="POST", path=path), body),
        locked_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=24),
    )
    before = _snapshot(case)
    response = _push(vsaa, case.number, body, key="busy")
    _assert_problem(response, 409)
    assert response["Retry-After"]
    assert _snapshot(case) == before


def test_refused_transition_is_replayed_as_refused(case, vsaa):
    first = _push(vsaa, case.number, {"status": "completed"}, key="k-done")
    body = _assert_problem(first, 409)
    assert (body["current"], body["requested"]) == ("submitted", "completed")
    again = _push(vsaa, case.number, {"status": "completed"}, key="k-done")
    assert again.status_code == 409 and again.json() == body
    assert again["Content-Type"].startswith(PROBLEM)


@pytest.mark.parametrize("key", [None, "", " ", "ā", "x" * 256, "a\tb"])
def test_push_without_a_valid_idempotency_key_is_refused(case, vsaa, key):
    before = _snapshot(case)
    _assert_problem(_push(vsaa, case.number, {"status": "registered"}, key=key), 400)
    assert _snapshot(case) == before


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "abc",
        "1011-1",
        "1011-00000001",
        "1011-0000001%00",
        "%27%20OR%201=1--",
        "x" * 5000,
        "9999-0000001",
        "1011-9999999",
    ],
)
def test_malformed_or_unknown_numbers_are_404_problems(case, vsaa, number):
    _assert_problem(vsaa.get(f"/api/v1/cases/{number}/"), 404)
    _assert_problem(_push(vsaa, number, {"status": "registered"}, key=f"n-{len(number)}"), 404)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "flying"}, "status"),
        ({"status": 5}, "status"),
        ({}, "status"),
        ({"status": "registered", "visible_to_client": "maybe"}, "visible_to_client"),
        ({"status": "registered", "note": {"a": 1}}, "note"),
        ({"status": "registered", "note": "x" * 3000}, "note"),
        ({"status": "registered", "channel": "pigeon"}, "channel"),
    ],
)
def test_invalid_pushes_are_400_problems_with_errors(case, vsaa, body, field):
    before = _snapshot(case)
    problem = _assert_problem(_push(vsaa, case.number, body), 400)
    assert field in problem["errors"]
    assert _snapshot(case) == before
    assert not IdempotencyRecord.objects.exists()  # an invalid request takes no key


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", '"text"', "null", "\x00"])
def test_malformed_json_is_a_400_problem(case, vsaa, payload):
    before = _snapshot(case)
    _assert_problem(_push(vsaa, case.number, payload), 400)
    assert _snapshot(case) == before


def test_huge_body_is_refused_without_error(case, vsaa):
    before = _snapshot(case)
    response = _push(vsaa, case.number, {"status": "registered", "note": "x" * 3_000_000})
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith(PROBLEM)
    assert _snapshot(case) == before


def test_illegal_transition_is_a_409_problem_with_current_and_requested(case, vsaa):
    before = _snapshot(case)
    problem = _assert_problem(_push(vsaa, case.number, {"status": "in_progress"}), 409)
    assert (problem["current"], problem["requested"]) == ("submitted", "in_progress")
    assert _snapshot(case) == before


@pytest.mark.parametrize(
    "query",
    [
        {"status": "flying"},
        {"service": "abc"},
        {"updated_since": "yesterday"},
        {"page_size": "0"},
        {"page_size": "x"},
        {"page_size": "null"},
        {"page_size": ""},
        {"updated_since": ""},  # DRF would read an empty value as "not given"; the schema says date-time
        {"status": ""},
    ],
)
def test_bad_list_filters_are_400_problems(case, vsaa, query):
    problem = _assert_problem(vsaa.get("/api/v1/cases/", query), 400)
    assert set(problem["errors"]) <= set(query)


def test_bad_cursor_is_a_404_problem(case, vsaa):
    _assert_problem(vsaa.get("/api/v1/cases/", {"cursor": "garbage"}), 404)


# --- authentication ----------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer abc.def", "Token x"])
def test_missing_or_invalid_key_is_a_401_problem(case, header):
    api = APIClient()
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    for response in (api.get("/api/v1/cases/"), api.get(f"/api/v1/cases/{case.number}/")):
        _assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
    before = _snapshot(case)
    _assert_problem(_push(api, case.number, {"status": "registered"}), 401)
    assert _snapshot(case) == before


def test_deactivated_client_is_refused(case, vsaa):
    services_api.api_client_deactivate(client=ApiClient.objects.get(name="VSAA back office"))
    _assert_problem(vsaa.get("/api/v1/cases/"), 401)


# --- citizens with their session ---------------------------------------------------------------------


def test_citizen_reads_only_own_cases(demo, case):
    stranger_case = _other_citizen_case()
    citizen = APIClient()
    citizen.force_login(demo["citizen_parent"].user)
    listed = citizen.get("/api/v1/cases/")
    assert listed.status_code == 200
    assert [c["number"] for c in listed.json()["results"]] == [case.number]
    assert citizen.get(f"/api/v1/cases/{case.number}/").status_code == 200
    _assert_problem(citizen.get(f"/api/v1/cases/{stranger_case.number}/"), 404)


def test_citizen_sees_only_the_history_meant_for_them(demo, case, vsaa):
    _push(vsaa, case.number, {"status": "registered", "visible_to_client": False, "note": "internal"})
    citizen = APIClient()
    citizen.force_login(demo["citizen_parent"].user)
    history = citizen.get(f"/api/v1/cases/{case.number}/").json()["history"]
    assert [h["to_status"] for h in history] == ["submitted"]
    assert len(vsaa.get(f"/api/v1/cases/{case.number}/").json()["history"]) == 2


def test_citizen_cannot_write_through_the_api(demo, case):
    citizen = APIClient()
    citizen.force_login(demo["citizen_parent"].user)
    before = _snapshot(case)
    _assert_problem(_push(citizen, case.number, {"status": "withdrawn"}), 403)
    _assert_problem(citizen.post("/api/v1/cases/", {}, format="json", HTTP_IDEMPOTENCY_KEY="c-1"), 403)
    assert _snapshot(case) == before


# --- list: cursor pagination and updated_since -------------------------------------------------------


def test_cursor_pagination_visits_every_case_once_in_change_order(demo, vsaa):
    cases = [_file_1011(demo["citizen_parent"]) for _ in range(7)]
    base = timezone.now() - timedelta(days=1)
    for offset, c in enumerate(reversed(cases)):  # make the order of change differ from the order of filing
        Case.objects.filter(pk=c.pk).update(updated_at=base + timedelta(minutes=offset))
    seen, url = [], "/api/v1/cases/?page_size=3"
    while url:
        page = vsaa.get(url)
        assert page.status_code == 200
        seen += [c["number"] for c in page.json()["results"]]
        url = page.json()["next"]
    assert seen == [c.number for c in reversed(cases)]


def test_updated_since_returns_only_later_changes(demo, vsaa):
    old, new = _file_1011(demo["citizen_parent"]), _file_1011(demo["citizen_parent"])
    Case.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    listed = vsaa.get("/api/v1/cases/", {"updated_since": since})
    assert [c["number"] for c in listed.json()["results"]] == [new.number]


# --- POST /api/v1/cases/ -----------------------------------------------------------------------------


def _register(api, body, key="reg-1"):
    return api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_register_a_case_received_by_phone_for_a_new_person(demo, vsaa):
    body = {
        "service": "1011",
        "client": {"personal_code": "010190-10001", "first_name": "Ieva", "last_name": "Kalna"},
        "channel": "phone",
        "external_reference": "VSAA-77",
        "data": {"note": "by phone"},
    }
    first = _register(vsaa, body)
    assert first.status_code == 201, first.content
    number = first.json()["number"]
    assert first["Location"] == f"/api/v1/cases/{number}/"
    assert first.json()["status"] == "registered"
    assert [h["to_status"] for h in first.json()["history"]] == ["submitted", "registered"]
    case = Case.objects.get(number=number)
    assert case.client_person.personal_code == "010190-10001"
    assert case.external_reference == "VSAA-77"
    assert StatusChange.objects.filter(case=case).first().system_label == "API: VSAA back office (VSAA)"
    assert AuditEvent.objects.filter(action="case.register_received", object_id=str(case.pk)).exists()

    # a retry registers nothing more and answers the same
    again = _register(vsaa, body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert Case.objects.count() == 1 and Person.objects.filter(personal_code="010190-10001").count() == 1


def test_register_for_a_known_person_and_an_organisation(demo, vsaa):
    anna = demo["citizen_parent"]
    known = _register(
        vsaa, {"service": "1011", "client": {"personal_code": anna.personal_code}, "channel": "post"}
    )
    assert known.status_code == 201
    assert Case.objects.get(number=known.json()["number"]).client_person == anna
    org_service = Service.objects.filter(audience="organisation", state="published").first()
    org_system = _api(services_api.api_client_create(agency=org_service.agency, name="Register system").key)
    known_org = _register(
        org_system,
        {"service": org_service.code, "client": {"registration_number": "40003000002"}, "channel": "email"},
        key="reg-org",
    )
    assert known_org.status_code == 201, known_org.content
    assert Case.objects.get(
        number=known_org.json()["number"]
    ).client_organisation == Organisation.objects.get(registration_number="40003000002")
    assert known_org.json()["client"]["type"] == "organisation"
    new_org = _register(
        org_system,
        {
            "service": org_service.code,
            "client": {"registration_number": "40003000017", "name": "SIA Jauna"},
            "channel": "agency",
        },
        key="reg-org-2",
    )
    assert new_org.status_code == 201, new_org.content
    assert Organisation.objects.get(registration_number="40003000017").name == "SIA Jauna"


@pytest.mark.parametrize(
    "body, field, status",
    [
        # 400: the body does not match the schema
        ({"service": "1011", "client": {"personal_code": "123"}, "channel": "post"}, "client", 400),
        ({"service": "1011", "client": {}, "channel": "post"}, "client", 400),
        (
            {
                "service": "1011",
                "client": {"personal_code": "150585-12343", "registration_number": "40003000017"},
                "channel": "post",
            },
            "client",
            400,
        ),
        (
            {"service": "1011", "client": {"personal_code": "150585-12343"}, "channel": "e_service"},
            "channel",
            400,
        ),
        (
            {
                "service": "1011",
                "client": {"personal_code": "150585-12343"},
                "channel": "post",
                "status": "completed",
            },
            "status",
            400,
        ),
        ({"service": "1011", "client": "Anna", "channel": "post"}, "client", 400),
        (
            {"service": "1011", "client": {"personal_code": "150585-12343"}, "channel": "post", "data": [1]},
            "data",
            400,
        ),
        # 422: well-formed, refused by a rule the schema cannot state
        ({"service": "1030", "client": {"personal_code": "150585-12343"}, "channel": "post"}, "service", 422),
        ({"service": "9999", "client": {"personal_code": "150585-12343"}, "channel": "post"}, "service", 422),
        ({"service": "1011", "client": {"personal_code": "010190-10001"}, "channel": "post"}, "client", 422),
        ({"service": "1011", "client": {"personal_code": "150585-12344"}, "channel": "post"}, "client", 422),
        (
            {
                "service": "1011",
                "client": {"personal_code": "150585-12343"},
                "channel": "post",
                "data": {"x": "y" * 70_000},
            },
            "data",
            422,
        ),
    ],
)
def test_register_refuses_bad_input(demo, vsaa, body, field, status):
    response = _register(vsaa, body)
    problem = _assert_problem(response, status)
    assert field in problem["errors"] or "personal_code" in problem["errors"]
    assert not Case.objects.exists()
    assert not IdempotencyRecord.objects.filter(state="in_progress").exists()


def test_a_failure_after_the_services_commit_rolls_back_and_the_retry_registers_once(demo, vsaa, monkeypatch):
    """The process fails while shaping the answer, after the service committed its own transaction:
    the work and the stored answer commit together, so nothing stays and the key is free again."""
    from requests_registry.api import views as api_views

    body = {
        "service": "1011",
        "client": {"personal_code": "010190-10001", "first_name": "Ieva", "last_name": "Kalna"},
        "channel": "phone",
    }
    shape = api_views.case_detail_out

    def fail_once(*args, **kwargs):
        monkeypatch.setattr(api_views, "case_detail_out", shape)
        raise ConnectionResetError("the process went away")  # injected fault

    monkeypatch.setattr(api_views, "case_detail_out", fail_once)
    with pytest.raises(ConnectionResetError):
        _register(vsaa, body, key="after-commit")
    assert not Case.objects.exists() and not Person.objects.filter(personal_code="010190-10001").exists()
    assert not IdempotencyRecord.objects.exists()

    retry = _register(vsaa, body, key="after-commit")
    again = _register(vsaa, body, key="after-commit")
    assert retry.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_register_needs_an_idempotency_key(demo, vsaa):
    body = {"service": "1011", "client": {"personal_code": "150585-12343"}, "channel": "post"}
    _assert_problem(vsaa.post("/api/v1/cases/", body, format="json"), 400)
    assert not Case.objects.exists()


# --- a fixed number of queries whatever the data size ------------------------------------------------


def _count(api, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_run_a_fixed_number_of_queries(demo, case, vsaa, django_assert_num_queries):
    for _ in range(2):
        _file_1011(demo["citizen_parent"])
    small_list = _count(vsaa, "/api/v1/cases/")
    small_detail = _count(vsaa, f"/api/v1/cases/{case.number}/")
    for _ in range(10):
        _file_1011(demo["citizen_parent"])
    _push(vsaa, case.number, {"status": "registered"}, key="q-1")
    _push(vsaa, case.number, {"status": "in_progress"}, key="q-2")
    with django_assert_num_queries(small_list):
        vsaa.get("/api/v1/cases/")
    with django_assert_num_queries(small_detail):
        vsaa.get(f"/api/v1/cases/{case.number}/")
    # the key, one page of cases, their persons (organisations: one more when any), the audit rows of
    # the reads (one INSERT)
    assert small_list == 4
    assert small_detail == 4  # the key, the case, its history, the audit row of the read


def test_citizen_list_and_detail_run_a_fixed_number_of_queries(demo, case, django_assert_num_queries):
    citizen = APIClient()
    citizen.force_login(demo["citizen_parent"].user)
    citizen.get("/api/v1/cases/")  # whom the citizen may act for: read once, then cached
    small_list = _count(citizen, "/api/v1/cases/")
    small_detail = _count(citizen, f"/api/v1/cases/{case.number}/")
    for _ in range(10):
        _file_1011(demo["citizen_parent"])
    with django_assert_num_queries(small_list):
        citizen.get("/api/v1/cases/")
    with django_assert_num_queries(small_detail):
        citizen.get(f"/api/v1/cases/{case.number}/")


# --- the OpenAPI schema ------------------------------------------------------------------------------


def test_schema_documents_the_case_api(db, tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    assert {"/api/v1/cases/", "/api/v1/cases/{number}/", "/api/v1/cases/{number}/status-changes/"} <= set(
        paths
    )
    assert schema["components"]["securitySchemes"]["apiClientKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiClientKey"]["description"],
    }
    for path in ("/api/v1/cases/", "/api/v1/cases/{number}/status-changes/"):
        post = paths[path]["post"]
        header = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is True
        assert "24 hours" in header["description"]
        assert header["schema"] == {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": KEY_PATTERN,
        }
        assert {"400", "409", "422"} <= set(post["responses"])
        assert "application/problem+json" in post["responses"]["409"]["content"]
        assert {"apiClientKey": []} in post["security"]
    detail = paths["/api/v1/cases/{number}/"]["get"]
    assert "application/problem+json" in detail["responses"]["404"]["content"]
    assert {"cursor", "status", "service", "updated_since", "page_size"} <= {
        p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]
    }


def test_schema_is_served(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/cases/{number}/status-changes/" in response.json()["paths"]


def test_register_refused_by_the_registry_creates_no_client(demo, vsaa):
    body = {
        "service": "1011",  # a service for persons
        "client": {"registration_number": "40003000017", "name": "SIA Jauna"},
        "channel": "post",
    }
    problem = _assert_problem(_register(vsaa, body, key="org-for-person"), 422)
    assert problem["type"] == "urn:pspp:problem:service-not-available"
    assert not Organisation.objects.filter(registration_number="40003000017").exists()
    assert not Case.objects.exists()
    # the refusal is the answer to this key: replayed as such
    assert _register(vsaa, body, key="org-for-person").json() == problem
