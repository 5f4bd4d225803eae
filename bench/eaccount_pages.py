#!/usr/bin/env python
"""Time the e-account's pages of a heavy client (issue 11), in-process like bench/pages.py:

- the dashboard (/account/dashboard/), the interaction history (/account/history/, first page and a
  page deep in the timeline), "who looked at my data" (/account/access-log/) and the inbox
  (/account/inbox/), of the person with 500 cases, 2,000 client-visible status changes, 300
  messages and 1,000 read events (bench/eaccount_generate.py), and of a person with 5 cases;
- each row: median and p95 server time in ms (Django test client: middleware, session, view,
  template; no network), the page's query count and the time its queries took (one run);
- the query counts must not depend on the data: the heavy person's equal the light person's (the
  dashboard may add one, for the questions of cases needing an answer) — asserted;
- the CSV export of the whole history (/account/history/vesture.csv), streamed: total time, rows, bytes,
  and the process's memory while the response is consumed — resident set size (RSS, /proc) sampled
  every 100 rows and Python's allocations (tracemalloc peak, a second run) — against the size of the
  file: flat memory means the peak does not grow with the rows.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench
    .venv/bin/python bench/cases_generate.py --reset && .venv/bin/python bench/eaccount_generate.py
    .venv/bin/python bench/eaccount_pages.py              # --repeat 100; --profile: each query's time
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import tracemalloc
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
logging.disable(logging.WARNING)

from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from eaccount.models import Person  # noqa: E402
from eaccount.services import user_create_for_person  # noqa: E402

TARGETS_MS = {"dashboard": 30.0, "history": 50.0}  # the medians
# queries a page runs only when there is something to show, whatever its amount: the dashboard's
# questions of cases needing an answer, the history's services named by messages and documents
EXTRA_QUERIES = {"dashboard": 1, "history": 1}
PAGE_SIZE_BYTES = os.sysconf("SC_PAGE_SIZE")
NEXT = re.compile(rb'[?&;]after=([0-9]+\.[a-z]+\.[0-9]+)"')


def _login(person: Person) -> Client:
    user = getattr(person, "user", None) or user_create_for_person(person=person)
    client = Client()
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    return client


def _time(fn, repeat: int) -> list[float]:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        reset_queries()
    return samples


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(int(len(samples) * 0.95) - 1, 0)]


def _queries(page) -> list[tuple[float, str]]:
    """One run of `page` (a streamed response consumed): each query's time in ms and its SQL."""
    timed = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timer):
        response = page()
        assert response.status_code in (200, 404), response.status_code
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    return timed


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE_BYTES


def _mb(value: float) -> str:
    return f"{value / 1024 / 1024:.1f} MB"


def _export(client: Client) -> None:
    """The whole history as CSV, consumed chunk by chunk: time, size, RSS and Python allocations."""
    url = "/account/history/vesture.csv"
    _queries(lambda: client.get(url))  # warm

    started = time.perf_counter()
    start_rss = _rss()
    samples = [start_rss]
    rows = size = 0
    response = client.get(url)
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
        if rows % 100 == 0:
            samples.append(_rss())
    samples.append(_rss())
    elapsed = time.perf_counter() - started

    tracemalloc.start()
    response = client.get(url)
    marks = []
    seen = 0
    for chunk in response.streaming_content:
        seen += chunk.count(b"\n")
        if seen and seen % 500 == 0:
            marks.append((seen, tracemalloc.get_traced_memory()[0]))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    queries = _queries(lambda: client.get(url))
    quarter = len(samples) // 4 or 1
    print(
        f"\nCSV export of the whole history: {rows - 1} entries, {size / 1024:.0f} KiB, "
        f"{elapsed * 1000:.0f} ms, {len(queries)} queries ({EXPORT_NOTE})"
    )
    print(
        f"  RSS while streaming: start {_mb(start_rss)}, after 1/4 {_mb(samples[quarter])}, "
        f"after 1/2 {_mb(samples[2 * quarter])}, end {_mb(samples[-1])}, max {_mb(max(samples))} "
        f"(growth {_mb(max(samples) - start_rss)})"
    )
    print(
        f"  Python allocations (tracemalloc) during the export: peak {_mb(peak)} for a file of "
        f"{_mb(size)}; held at rows "
        + ", ".join(f"{n}: {_mb(b)}" for n, b in marks[:: max(len(marks) // 5, 1)])
    )


EXPORT_NOTE = "keyset batches of 500"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="print each query of each page with its time")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    request_started.disconnect(reset_queries)  # else a request empties the query log being counted

    bench = Person.objects.filter(first_name="Bench").order_by("pk")
    heavy, light = bench[0], bench[1]
    if heavy.messages.count() < 300:
        sys.exit("The heavy person has no messages: run bench/eaccount_generate.py first.")
    heavy_client, light_client = _login(heavy), _login(light)

    # a page deep in the history: 39 "older entries" links on (entries 976-1,000)
    deep_query = {}
    for _ in range(39):
        found = NEXT.search(heavy_client.get("/account/history/", deep_query).content)
        assert found, "the history ended before page 40"
        deep_query = {"after": found[1].decode()}

    pages = [
        ("dashboard", "/account/dashboard/", None),
        ("history", "/account/history/", None),
        ("history, page 40", "/account/history/", deep_query),
        ("history, kind=status", "/account/history/", {"kind": "status"}),
        ("access log", "/account/access-log/", None),
        ("inbox", "/account/inbox/", None),
        ("404 page, logged in (fixed cost)", "/no-such-page/", None),
    ]
    print(
        f"heavy person {heavy.pk}: {heavy.cases.count()} cases, {heavy.messages.count()} messages; "
        f"light person {light.pk}: {light.cases.count()} cases; {args.repeat} runs each\n"
    )
    broken: list[str] = []
    first_history_count = 0
    print(f"{'':34} {'median':>8} {'p95':>8} {'target':>7} {'queries':>8} {'SQL ms':>7} {'light q':>8}")
    for name, url, query in pages:
        heavy_page = (
            (lambda url=url, query=query: heavy_client.get(url, query))
            if query
            else (lambda url=url: heavy_client.get(url))
        )
        light_page = lambda url=url: light_client.get(url)  # noqa: E731
        heavy_page(), light_page()  # warm: the session's user, principals and caches are read once
        captured = _queries(heavy_page)
        light_count = len(_queries(light_page)) if query is None else None
        sql_ms = sum(ms for ms, _sql in captured)
        if light_count is not None and len(captured) > light_count + EXTRA_QUERIES.get(name, 0):
            broken.append(
                f"{name}: {len(captured)} queries for the heavy person, {light_count} for the light"
            )
        if name == "history, page 40" and len(captured) != first_history_count:
            broken.append(f"history: {first_history_count} queries on page 1, {len(captured)} on page 40")
        if name == "history":
            first_history_count = len(captured)
        samples = _time(heavy_page, args.repeat)
        median = statistics.median(samples)
        target = TARGETS_MS.get(name)
        print(
            f"{name:34} {median:8.2f} {_p95(samples):8.2f} {target or '':>7} {len(captured):8d} "
            f"{sql_ms:7.2f} {light_count if light_count is not None else '':>8}"
            + ("  MISSED" if target and median > target else "")
        )
        if args.profile:
            for ms, sql in captured:
                print(f"    {ms:7.2f} ms  {sql[:150]}")
    _export(heavy_client)
    assert not broken, broken
    print("\nquery counts: the same whatever the data (heavy vs light person, page 1 vs page 40)")


if __name__ == "__main__":
    main()
