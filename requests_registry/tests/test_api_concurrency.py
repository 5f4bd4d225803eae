"""Races through the API on PostgreSQL (real row locks, real concurrent connections):
status pushes racing for one case are kept in order or refused, never lost; a retry while the
first request with its Idempotency-Key is still running answers 409 and the key stays usable."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from api_clients import services as services_api
from api_clients.models import IdempotencyRecord
from catalogue.demo import load_pilot_catalogue
from catalogue.models import Agency
from catalogue.selectors import service_get_published
from eaccount.demo import load_demo_people
from kernel.actors import Actor
from requests_registry import services
from requests_registry.models import Case, StatusChange

from .factories import newborn_child_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)"),
]


@pytest.fixture
def setup(transactional_db):
    load_pilot_catalogue()
    people = load_demo_people()
    key = services_api.api_client_create(agency=Agency.objects.get(code="VSAA"), name="VSAA back office").key
    anna = people["citizen_parent"]

    def new_case() -> Case:
        return services.case_submit(
            service=service_get_published(code="1011"),
            client=anna,
            actor=Actor(user=anna.user, basis="self", channel="e_service"),
            data=newborn_child_data(),
        )

    return key, new_case


def _post(key: str, number: str, status: str, idem: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    try:
        return api.post(
            f"/api/v1/cases/{number}/status-changes/",
            {"status": status},
            format="json",
            HTTP_IDEMPOTENCY_KEY=idem,
        )
    finally:
        connection.close()


def _race(key: str, number: str, pushes: list[tuple[str, str]]):
    barrier = threading.Barrier(len(pushes))
    results: list = [None] * len(pushes)

    def run(index, status, idem):
        barrier.wait()
        results[index] = _post(key, number, status, idem)

    threads = [threading.Thread(target=run, args=(i, s, k)) for i, (s, k) in enumerate(pushes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _assert_history_is_a_chain(case: Case, accepted: int):
    rows = list(StatusChange.objects.filter(case=case).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.from_status == before.to_status
    case.refresh_from_db()
    assert case.status == rows[-1].to_status
    assert len(rows) == 1 + accepted  # the submission plus every accepted push: none lost


@pytest.mark.parametrize(
    "pushes",
    [
        [("registered", "a"), ("registered", "b")],  # the same change twice: one refused
        [("registered", "a"), ("rejected", "b")],  # both legal in one order: kept in order, or one refused
        [("registered", "a"), ("withdrawn", "b"), ("rejected", "c"), ("registered", "d")],
    ],
)
def test_racing_pushes_are_kept_in_order_or_refused(setup, pushes):
    key, new_case = setup
    for _round in range(3):
        case = new_case()
        results = _race(key, case.number, [(status, f"{idem}-{case.number}") for status, idem in pushes])
        codes = sorted(r.status_code for r in results)
        assert set(codes) <= {201, 409}, [r.content for r in results]
        assert 201 in codes
        for refused in (r for r in results if r.status_code == 409):
            assert refused["Content-Type"].startswith("application/problem+json")
            assert {"current", "requested"} <= refused.json().keys()
        _assert_history_is_a_chain(case, accepted=codes.count(201))


def test_retry_while_the_first_request_runs_is_409_then_replays(setup, monkeypatch):
    key, new_case = setup
    case = new_case()
    started, release = threading.Event(), threading.Event()
    real_change = services.case_change_status

    def slow_change(**kwargs):
        started.set()
        assert release.wait(timeout=20)
        return real_change(**kwargs)

    monkeypatch.setattr(services, "case_change_status", slow_change)
    first: list = []
    thread = threading.Thread(target=lambda: first.append(_post(key, case.number, "registered", "same")))
    thread.start()
    assert started.wait(timeout=20)
    # the key's record is committed before the work: a concurrent retry sees it in progress
    assert IdempotencyRecord.objects.get(key="same").state == "in_progress"
    retry = _post(key, case.number, "registered", "same")
    assert retry.status_code == 409
    assert retry["Content-Type"].startswith("application/problem+json")
    assert StatusChange.objects.filter(case=case).count() == 1
    release.set()
    thread.join(timeout=30)
    assert first[0].status_code == 201
    replay = _post(key, case.number, "registered", "same")
    assert (replay.status_code, replay.json()) == (201, first[0].json())
    assert StatusChange.objects.filter(case=case).count() == 2


def test_a_request_that_crashed_mid_way_leaves_the_key_usable(setup, monkeypatch):
    key, new_case = setup
    case = new_case()

    def crash(**kwargs):
        raise RuntimeError("the process died")

    monkeypatch.setattr(services, "case_change_status", crash)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    crashed = api.post(
        f"/api/v1/cases/{case.number}/status-changes/",
        {"status": "registered"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="crash",
    )
    assert crashed.status_code == 500
    assert not IdempotencyRecord.objects.filter(key="crash").exists()  # released
    monkeypatch.undo()
    retried = _post(key, case.number, "registered", "crash")
    assert retried.status_code == 201
