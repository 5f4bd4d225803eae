#!/usr/bin/env python
"""Time the HTML pages side by side with the raw SQL that returns the same rows (checked equal).

In one process, in-process Django test client (no network, no server), on PostgreSQL:

- staff case list of VSAA (Edgars Zariņš, VSAA staff): unfiltered and filtered by status;
- "my cases" of a person with 500 cases, and of a person with 5;
- the case page of one of the 500;
- the dashboard and the interaction history (first page) of that person;
- the home page logged in, and a logged-in 404 page (the fixed cost: middleware, session, header);
- the API's change feed with `updated_since` for VSAA (14 services) and for a small agency.

Each row prints the page's median and p95 in ms and its query count, and two floors beside it:

- SQL: one raw query returning the rows the page lists (case numbers, in order, checked equal before
  timing) — the issue's measure, for the lists, the case page (the case and its history) and the feed;
- own: the page's own statements (as it sent them, writes included: the audit of a read), sent again
  raw in one cursor — what is left of the page's time beyond it is Python: ORM, templates, middleware.

The page and its floors are timed in turn, one call each, so that all meet the machine at the same
speed; the floors then also meet the colder caches a page leaves behind, which makes them slower than
alone (the case page's SQL: 0.7–1.1 ms alone, 2.1–2.5 ms in turn) and the ratios smaller. A first line
times a fixed pure-Python loop: milliseconds move with the machine, so compare runs by it.
`--only TEXT` times only the rows whose name contains TEXT.

Run it on the 1,000,000-case set made by bench/cases_generate.py:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench
    .venv/bin/python manage.py migrate && .venv/bin/python bench/cases_generate.py --reset
    .venv/bin/python bench/pages.py                # --repeat 200 by default

The first run gives a bench person 500 cases (moved from other bench persons) and logins to the two
persons; later runs reuse them. bench/eaccount_generate.py gives the dashboard and history their
messages and read events (without it they show cases and status changes only).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)  # "Not Found: …" for each 404 timed

from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from api_clients import services as api_client_services  # noqa: E402
from catalogue.models import Agency  # noqa: E402
from eaccount.models import Person  # noqa: E402
from eaccount.services import user_create_for_person  # noqa: E402
from requests_registry.models import Case  # noqa: E402

HEAVY_CASES = 500
NUMBER = re.compile(rb">(\d{4}-\d{7})<")
PAGE = 20  # rows per page of the registry's HTML lists


def _login(person: Person):
    user = getattr(person, "user", None) or user_create_for_person(person=person)
    client = Client()
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    return client, user


def _setup():
    bench = Person.objects.filter(first_name="Bench").order_by("pk")
    heavy, light = bench[0], bench[1]
    have = Case.objects.filter(client_person=heavy).count()
    if have < HEAVY_CASES:
        ids = list(
            Case.objects.exclude(client_person=heavy)
            .filter(client_person__first_name="Bench", service__agency__code="VSAA")
            .order_by("pk")
            .values_list("pk", flat=True)[: HEAVY_CASES - have]
        )
        Case.objects.filter(pk__in=ids).update(client_person=heavy)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE requests_registry_case")
    return heavy, light


def _time(fn, repeat: int, *, alongside=()) -> list[list[float]]:
    """Milliseconds of `repeat` calls of fn, and of each of `alongside` (the floors) called right
    after it: interleaved, so all see the machine at the same moments (its speed drifts within
    seconds). The first list is fn's."""
    calls = [fn, *alongside]
    for call in calls:
        call()  # warm
    samples = [[] for _ in calls]
    for _ in range(repeat):
        for call, timings in zip(calls, samples, strict=True):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
            reset_queries()
    return samples


def _python_speed() -> float:
    """Seconds for a fixed pure-Python loop, the best of three: milliseconds of pages measured on
    different machines, or on one machine at different times, compare only through it (0.83–1.7 s on
    the same 2-core machine within one day, 2026-12-02)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10**7))
        best = min(best, time.perf_counter() - started)
    return best


def _p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def _sql_rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _replay(statements: list[str]) -> None:
    """The page's statements, as sent (client-side binding: values inlined), in one cursor."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()


def _ratio(median: float, floor: float | None) -> str:
    return f"{floor:7.2f} {median / floor:6.1f}" if floor else f"{'':>7} {'':>6}"


LIST_SQL = """
SELECT c.number, s.code, s.title_lv, p.first_name, p.last_name, o.name, c.status, c.planned_completion,
       c.updated_at, au.username
FROM requests_registry_case c
JOIN catalogue_service s ON s.id = c.service_id
LEFT JOIN eaccount_person p ON p.id = c.client_person_id
LEFT JOIN eaccount_organisation o ON o.id = c.client_organisation_id
LEFT JOIN eaccount_user au ON au.id = c.assigned_to_id
WHERE {where}
ORDER BY {order} LIMIT %s
"""

CASE_SQL = """
SELECT c.number, s.code, s.title_lv, c.status, c.planned_completion, c.data, h.seq, h.to_status, h.at, h.note
FROM requests_registry_case c
JOIN catalogue_service s ON s.id = c.service_id
JOIN requests_registry_statuschange h ON h.case_id = c.id AND h.visible_to_client
WHERE c.number = %s ORDER BY h.seq
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", default="", help="time only the rows whose name contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")

    request_started.disconnect(reset_queries)  # else a request empties the query log being counted
    heavy, light = _setup()
    vsaa = Agency.objects.get(code="VSAA")
    small = (
        Agency.objects.filter(services__cases__isnull=False)
        .exclude(pk=vsaa.pk)
        .order_by("code")
        .distinct()
        .first()
    )
    staff, staff_user = _login(Person.objects.get(personal_code="010199-12101"))
    heavy_client, _ = _login(heavy)
    light_client, _ = _login(light)
    heavy_case = Case.objects.filter(client_person=heavy).order_by("-created_at", "-id").first().number

    since = (timezone.now() - timedelta(days=2)).isoformat()
    keys = {}
    for agency in (vsaa, small):
        keys[agency.code] = api_client_services.api_client_create(agency=agency, name="bench pages").key

    def api(code):
        client = Client(headers={"Authorization": f"Bearer {keys[code]}"})
        return client

    vsaa_api, small_api = api(vsaa.code), api(small.code)

    staff_where = "c.agency_id = %s"  # the agency kept on the case, with its (agency, updated_at, id) index
    rows = [
        (
            "staff case list",
            lambda: staff.get("/cases/agency/"),
            LIST_SQL.format(where=staff_where, order="c.updated_at DESC, c.id DESC"),
            [vsaa.pk, PAGE],
        ),
        (
            "staff case list, status=in_progress",
            lambda: staff.get("/cases/agency/", {"status": "in_progress"}),
            LIST_SQL.format(where=staff_where + " AND c.status = %s", order="c.updated_at DESC, c.id DESC"),
            [vsaa.pk, "in_progress", PAGE],
        ),
        (
            f"my cases ({HEAVY_CASES} cases)",
            lambda: heavy_client.get("/cases/"),
            LIST_SQL.format(where="c.client_person_id = %s", order="c.created_at DESC, c.id DESC"),
            [heavy.pk, PAGE],
        ),
        (
            "my cases (5 cases)",
            lambda: light_client.get("/cases/"),
            LIST_SQL.format(where="c.client_person_id = %s", order="c.created_at DESC, c.id DESC"),
            [light.pk, PAGE],
        ),
        ("case page", lambda: heavy_client.get(f"/cases/{heavy_case}/"), CASE_SQL, [heavy_case]),
        ("dashboard", lambda: heavy_client.get("/account/dashboard/"), None, None),
        ("interaction history", lambda: heavy_client.get("/account/history/"), None, None),
        ("home page, logged in", lambda: heavy_client.get("/"), None, None),
        ("404 page, logged in (fixed cost)", lambda: heavy_client.get("/no-such-page/"), None, None),
        (
            f"API change feed, {vsaa.code}",
            lambda: vsaa_api.get("/api/v1/cases/", {"updated_since": since, "page_size": 50}),
            LIST_SQL.format(
                where=staff_where + " AND c.updated_at >= %s", order="c.updated_at ASC, c.id ASC"
            ),
            [vsaa.pk, since, 50],
        ),
        (
            f"API change feed, {small.code}",
            lambda: small_api.get("/api/v1/cases/", {"updated_since": since, "page_size": 50}),
            LIST_SQL.format(
                where=staff_where + " AND c.updated_at >= %s", order="c.updated_at ASC, c.id ASC"
            ),
            [small.pk, since, 50],
        ),
    ]

    print(f"Machine speed: {_python_speed():.2f} s for a fixed pure-Python loop (compare runs by it).")
    print(f"{'':40} {'median':>8} {'p95':>8} {'SQL':>7} {'ratio':>6} {'own':>7} {'ratio':>6} {'queries':>7}")
    for name, page, sql, params in rows:
        if args.only not in name:
            continue
        response = page()
        assert response.status_code in (200, 404), (name, response.status_code)
        if sql is not None:
            expected = [row[0] for row in _sql_rows(sql, params)]
            if name.startswith("API"):
                shown = [case["number"] for case in response.json()["results"]]
            elif name == "case page":
                shown = [heavy_case] * len(expected)
            else:
                shown = [number.decode() for number in NUMBER.findall(response.content)]
            assert shown == expected, (name, shown[:3], expected[:3])
        with CaptureQueriesContext(connection) as queries:
            page()
            statements = [query["sql"] for query in queries.captured_queries]
        floors = [lambda statements=statements: _replay(statements)]
        if sql is not None:  # right after the page, as the earlier runs of this script timed it
            floors.insert(0, lambda sql=sql, params=params: _sql_rows(sql, params))
        samples, *floor_samples = _time(page, args.repeat, alongside=floors)
        median = statistics.median(samples)
        *raw, own = [statistics.median(timings) for timings in floor_samples]
        print(
            f"{name:40} {median:8.2f} {_p95(samples):8.2f} "
            f"{_ratio(median, raw[0] if raw else None)} {_ratio(median, own)} {len(statements):7d}"
        )


if __name__ == "__main__":
    main()
