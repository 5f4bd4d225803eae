#!/usr/bin/env python
"""Measure the catalogue search: median and p95 server time of the search page and of the API.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_cat .venv/bin/python bench/catalogue_generate.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_cat .venv/bin/python bench/catalogue_search.py

Each request goes through the whole Django stack in-process (middleware, session, view, selector,
queries, template or serializer) with django.test.Client, i.e. the server's time without the network.
The selector column times service_search_page alone (the first page with its total, the channels). Several queries are used:
a typical one ("berna pabalst"), common words, a typo, a code, and a 10 kB string.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_cat")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from catalogue.models import Service  # noqa: E402
from catalogue.selectors import ANONYMOUS, service_search_page  # noqa: E402

QUERIES = [
    "berna pabalst",
    "pabalsts",
    "izzina",
    "bērna piedzimšanas pabalsts",
    "dzivesvietas deklaresana",
    "piedzimsanss pabalsts",
    "1011",
    "ģimenes atbalsts pašvaldībā",
    "x" * 10_240,
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


CPU: list[float] = []  # this process's CPU time per page request (the Django side, without PostgreSQL)


def timed(fn, repeat: int, cpu: list[float] | None = None) -> list[float]:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
        reset_queries()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=50, help="requests per query")
    args = parser.parse_args()
    total = Service.objects.count()
    print(f"database: {connection.vendor}, {total} services, load average {os.getloadavg()[0]:.1f}")
    client = Client()
    page_all, api_all, selector_all = [], [], []
    print(f"{'query':32} {'page med':>9} {'page p95':>9} {'api med':>9} {'select med':>10} {'hits':>6}")
    for q in QUERIES:

        def page(q=q):
            response = client.get("/services/", {"q": q})
            assert response.status_code == 200, response.status_code

        def api(q=q):
            response = client.get("/api/v1/services/", {"q": q})
            assert response.status_code == 200, response.status_code

        def selector(q=q):
            page = service_search_page(page_number=1, viewer=ANONYMOUS, q=q)
            list(page)
            return page.paginator.count

        hits = selector()
        p = timed(page, args.repeat, CPU)
        a = timed(api, args.repeat)
        s = timed(selector, args.repeat)
        page_all += p
        api_all += a
        selector_all += s
        label = q if len(q) < 30 else f"{q[:12]}… ({len(q)} chars)"
        print(
            f"{label:32} {statistics.median(p):8.1f}ms {percentile(p, 95):8.1f}ms "
            f"{statistics.median(a):8.1f}ms {statistics.median(s):9.1f}ms {hits:6d}"
        )
    print(
        f"ALL: search page median {statistics.median(page_all):.1f} ms, p95 {percentile(page_all, 95):.1f} ms; "
        f"API median {statistics.median(api_all):.1f} ms, p95 {percentile(api_all, 95):.1f} ms; "
        f"selector median {statistics.median(selector_all):.1f} ms; "
        f"Django CPU per page median {statistics.median(CPU):.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
