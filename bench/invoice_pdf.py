#!/usr/bin/env python
"""How long a worker takes to make one invoice PDF (issue 13: under 1 second in the worker).

Issues N invoices for the pilot service 1036 (its demo payee) in a database of its own, then runs the
PDF task's service (`payments.services.invoice_pdf_generate`: lock, WeasyPrint with the EPC QR code,
store) for each, as a warm worker would, and prints the first (cold) run, the median and p95.

    .venv/bin/python bench/invoice_pdf.py            # N=30; DATABASE_URL defaults to pspp_bench_pdf
    .venv/bin/python bench/invoice_pdf.py -n 100

The database is created and migrated if it does not exist.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench_pdf")


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from catalogue.demo import load_pilot_catalogue  # noqa: E402
from catalogue.selectors import service_get_published  # noqa: E402
from eaccount.demo import load_demo_people  # noqa: E402
from kernel.actors import Actor  # noqa: E402
from payments import services  # noqa: E402
from payments.demo import load_demo_payees  # noqa: E402
from payments.models import Invoice  # noqa: E402
from requests_registry import services as registry  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # WeasyPrint's font subsetting talks a lot
    call_command("migrate", verbosity=0)
    load_pilot_catalogue()
    people = load_demo_people()
    load_demo_payees()
    anna = people["citizen_parent"]
    service = service_get_published(code="1036")
    actor = Actor.system("bench: invoice PDF")
    ids = []
    for i in range(args.n):
        case = registry.case_register_received(
            actor=actor, service=service, client=anna, external_reference=f"bench-pdf-{time.time_ns()}-{i}"
        )
        ids.append(services.invoice_issue(actor=actor, case=case, kind="postpayment").pk)
    # with the embedded defaults (Celery eager) the PDFs were made on issue already: make them again
    Invoice.objects.filter(pk__in=ids).update(pdf="")
    timings = []
    for invoice_id in ids:
        started = time.perf_counter()
        assert services.invoice_pdf_generate(invoice_id=invoice_id)
        timings.append((time.perf_counter() - started) * 1000)
    warm = sorted(timings[1:])
    p95 = warm[max(0, int(len(warm) * 0.95) - 1)]
    print(
        f"invoice PDFs: {args.n}; first (cold) {timings[0]:.0f} ms; "
        f"warm median {statistics.median(warm):.0f} ms, p95 {p95:.0f} ms, max {warm[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
