#!/usr/bin/env python
"""The escalation job over 1,000,000 cases (issue 17 item 7: under 30 seconds, set-based).

Needs the registry's benchmark set (bench/cases_generate.py: 1,000,000 cases, created over the last
two years with the service's processing days as the planned date, so most open cases are late):

    createdb -h 127.0.0.1 -U postgres pspp_bench_esc
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench_esc .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench_esc .venv/bin/python bench/cases_generate.py --reset
    .venv/bin/python bench/workplace_escalation.py          # DATABASE_URL defaults to pspp_bench_esc

Gives the one-stop centre cases (channel vpvkac) a demo centre once (the generator leaves every case
without one), forgets the escalations of earlier runs (the audit trail is append-only: its events
stay), then times `workplace.services.escalations.escalations_raise` twice: the first run escalates
every late case (one INSERT … SELECT for the escalations, one for their audit events, a notice per
supervisor), the second finds nothing new. `--explain` prints the plan of the late cases' selection.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench_esc")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from audit.models import AuditEvent  # noqa: E402
from catalogue.models import ServiceCentre  # noqa: E402
from kernel.actors import Actor  # noqa: E402
from notifications.models import Notification  # noqa: E402
from requests_registry.selectors import cases_late  # noqa: E402
from workplace.constants import WorkplaceAction  # noqa: E402
from workplace.models import Escalation  # noqa: E402
from workplace.services import escalations as services  # noqa: E402


def centres_for_centre_cases(cursor) -> None:
    centre_ids = list(ServiceCentre.objects.order_by("pk").values_list("pk", flat=True))
    if not centre_ids:
        print("no service centres: the cases stay without one", flush=True)
        return
    cursor.execute(
        "UPDATE requests_registry_case SET centre_id = (%s::bigint[])[1 + mod(id, %s)] "
        "WHERE channel = 'vpvkac' AND centre_id IS NULL",
        [centre_ids, len(centre_ids)],
    )
    if cursor.rowcount:
        print(f"{cursor.rowcount:,} one-stop centre cases given a centre", flush=True)
        cursor.execute("ANALYZE requests_registry_case")


class StatementTimes:
    """Notes each statement that took over 0.2 s (the set-based ones), to print with the run."""

    def __init__(self):
        self.slow: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            if took > 0.2:
                self.slow.append((took, " ".join(sql.split())[:70]))


def timed(label: str, today) -> int:
    times = StatementTimes()
    started = time.perf_counter()
    with connection.execute_wrapper(times):
        new = services.escalations_raise(actor=Actor.system("bench: escalation job"), today=today)
    print(f"{label}: {new:,} new escalations in {time.perf_counter() - started:.2f} s", flush=True)
    for took, sql in times.slow:
        print(f"  {took:6.2f} s  {sql}…", flush=True)
    return new


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--explain", action="store_true", help="print the plan of the late cases' selection")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database with the benchmark cases.")
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM requests_registry_case")
        total = cursor.fetchone()[0]
        if not total:
            sys.exit("No cases: generate them first (bench/cases_generate.py).")
        centres_for_centre_cases(cursor)
        cursor.execute(f"TRUNCATE {Escalation._meta.db_table}")  # earlier runs' escalations
        cursor.execute(f"ANALYZE {Escalation._meta.db_table}")
    late = cases_late(today=today).count()
    print(f"{total:,} cases, {late:,} late on {today} (open, clock running, planned date passed)", flush=True)
    if args.explain:
        sql, params = services._late_rows(today).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\n".join(row[0] for row in cursor.fetchall()))
    events_before = AuditEvent.objects.filter(action=WorkplaceAction.ESCALATION).count()
    notices_before = Notification.objects.filter(topic=services.TOPIC).count()

    first = timed("first run", today)
    second = timed("second run", today)

    events = AuditEvent.objects.filter(action=WorkplaceAction.ESCALATION).count() - events_before
    notices = Notification.objects.filter(topic=services.TOPIC).count() - notices_before
    print(f"audit events written: {events:,}; notices: {notices} (e-account and e-mail copies)")
    assert first == late + Escalation.objects.filter(case__isnull=True).count() and second == 0


if __name__ == "__main__":
    main()
