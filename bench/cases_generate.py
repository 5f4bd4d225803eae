#!/usr/bin/env python
"""Generate the request registry's benchmark data on PostgreSQL: 1,000,000 cases for 200,000
persons, each with its status history (1–5 rows), with COPY through psycopg.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench .venv/bin/python bench/cases_generate.py --reset

Loads the pilot catalogue and the demo people first (idempotent). The persons get new-format
personal codes (32…), valid, and first name "Bench". The cases are spread over the published
services for persons, numbered per service like the registry does (and the per-service
sequences are moved past them). Writes a random sample of VSAA case numbers (the benchmark's
API client is of VSAA) to --numbers-file for the load tool.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from psycopg import sql  # noqa: E402
from stdnum.lv import pvn  # noqa: E402

from catalogue.demo import load_pilot_catalogue  # noqa: E402
from catalogue.models import Service  # noqa: E402
from eaccount.demo import load_demo_people  # noqa: E402
from eaccount.models import Person  # noqa: E402
from requests_registry.models import Case, CaseSequence, StatusChange  # noqa: E402

BENCH_FIRST_NAME = "Bench"
CODE_OFFSET = 50_000_000  # persons' codes are 32{offset+n:08d}{check}: clear of the demo people
BATCH = 50_000

# final status -> the history path that leads to it, and how often it occurs
PATHS = {
    "submitted": (["submitted"], 10),
    "registered": (["submitted", "registered"], 15),
    "in_progress": (["submitted", "registered", "in_progress"], 20),
    "needs_info": (["submitted", "registered", "in_progress", "needs_info"], 5),
    "completed": (["submitted", "registered", "in_progress", "completed"], 40),
    "rejected": (["submitted", "registered", "rejected"], 6),
    "withdrawn": (["submitted", "withdrawn"], 4),
}
CHANNELS = (["e_service"] * 7) + ["vpvkac", "agency", "post"]


def personal_code(n: int) -> str:
    body = f"32{CODE_OFFSET + n:08d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


def ts(value: datetime) -> str:
    return value.isoformat()


def copy_lines(cursor, table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, \\N for NULL) into table; returns the number of rows."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            buffer.write("\n")
            count += 1
            if count % BATCH == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def drop_plain_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes that back no constraint (rebuilt after the load: faster than row by row)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    definitions = []
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        definitions.append(definition)
    return definitions


def reset(cursor) -> None:
    tables = [
        StatusChange._meta.db_table,
        Case._meta.db_table,
        CaseSequence._meta.db_table,
    ]
    cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    cursor.execute(
        sql.SQL("DELETE FROM {} WHERE first_name = %s").format(sql.Identifier(Person._meta.db_table)),
        [BENCH_FIRST_NAME],
    )


def ensure_persons(cursor, wanted: int) -> list[int]:
    table = Person._meta.db_table
    cursor.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE first_name = %s").format(sql.Identifier(table)),
        [BENCH_FIRST_NAME],
    )
    have = cursor.fetchone()[0]
    if have < wanted:
        now = ts(datetime.now(UTC))
        lines = (
            f"{personal_code(n)}\t{BENCH_FIRST_NAME}\tPerson{n}\t\\N\t\\N\t\t\t\tt\t{now}\tlv"
            for n in range(have, wanted)
        )
        copy_lines(
            cursor,
            table,
            [
                "personal_code",
                "first_name",
                "last_name",
                "birth_date",
                "municipality_id",
                "email",
                "phone",
                "address",
                "has_eid",
                "created_at",
                "preferred_language",
            ],
            lines,
        )
    cursor.execute(
        sql.SQL("SELECT id FROM {} WHERE first_name = %s ORDER BY id LIMIT %s").format(sql.Identifier(table)),
        [BENCH_FIRST_NAME, wanted],
    )
    return [row[0] for row in cursor.fetchall()]


def generate(*, cases: int, persons: int, seed: int, numbers_file: Path, sample: int, do_reset: bool) -> None:
    rng = random.Random(seed)
    started = time.monotonic()
    load_pilot_catalogue()
    load_demo_people()
    services = list(
        Service.objects.filter(state="published", audience="person").select_related("agency").order_by("code")
    )
    if not services:
        sys.exit("No published services for persons: is the pilot catalogue loaded?")
    statuses = list(PATHS)
    weights = [PATHS[s][1] for s in statuses]
    case_table, history_table = Case._meta.db_table, StatusChange._meta.db_table

    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        # The generated rows are consistent by construction: skip the per-row foreign-key triggers
        # (checked at commit, they cost more than the COPY itself). Needs a superuser; else skipped.
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not a superuser: load with the checks on
            print("(foreign-key checks stay on: not a superuser)", flush=True)
        if do_reset:
            reset(cursor)
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(case_table)))
        if cursor.fetchone()[0] and not do_reset:
            sys.exit("The database already has cases: run with --reset to regenerate.")
        person_ids = ensure_persons(cursor, persons)
        indexes = drop_plain_indexes(cursor, [case_table, history_table])
        print(f"persons: {len(person_ids)} ({time.monotonic() - started:.1f} s)", flush=True)

        sequence = {service.pk: 0 for service in services}
        vsaa_numbers: list[str] = []
        history: list[str] = []
        now = datetime.now(UTC)
        span = int(timedelta(days=730).total_seconds())

        def case_lines():
            for case_id in range(1, cases + 1):
                service = services[case_id % len(services)]
                sequence[service.pk] += 1
                number = f"{service.code}-{sequence[service.pk]:07d}"
                if service.agency.code == "VSAA" and (len(vsaa_numbers) < sample or rng.random() < 0.05):
                    if len(vsaa_numbers) < sample:
                        vsaa_numbers.append(number)
                    else:
                        vsaa_numbers[rng.randrange(sample)] = number
                status = rng.choices(statuses, weights)[0]
                path = PATHS[status][0]
                created = now - timedelta(seconds=rng.randrange(span))
                at = created
                previous = ""
                for seq, step in enumerate(path, start=1):
                    history.append(
                        f"{case_id}\t{seq}\t{previous}\t{step}\t{ts(at)}\t\\N\t"
                        f"{'' if seq == 1 else 'API: bench'}\t{'e_service' if seq == 1 else 'agency'}\t\tt"
                    )
                    previous = step
                    at += timedelta(hours=rng.randrange(1, 72))
                updated = at - timedelta(hours=1) if len(path) > 1 else created
                completed = ts(updated) if status == "completed" else "\\N"
                planned = (created + timedelta(days=service.processing_days)).date().isoformat()
                yield (
                    f"{case_id}\t{number}\t{service.pk}\t{service.agency_id}\t\\N\t"
                    f"{person_ids[case_id % len(person_ids)]}\t\\N\t\\N\t"
                    f"self\t{rng.choice(CHANNELS)}\t\\N\t\t{status}\t{{}}\t{planned}\t\\N\t\\N\t\t\t\t"
                    f"{ts(created)}\t{ts(updated)}\t{completed}"
                )

        written = copy_lines(
            cursor,
            case_table,
            [
                "id",
                "number",
                "service_id",
                "agency_id",
                "service_version_id",
                "client_person_id",
                "client_organisation_id",
                "submitted_by_id",
                "basis",
                "channel",
                "centre_id",
                "authorisation_reference",
                "status",
                "data",
                "planned_completion",
                "assigned_to_id",
                "result_document",
                "result_document_name",
                "external_reference",
                "subject_key",
                "created_at",
                "updated_at",
                "completed_at",
            ],
            case_lines(),
        )
        print(f"cases: {written} ({time.monotonic() - started:.1f} s)", flush=True)
        rows = copy_lines(
            cursor,
            history_table,
            [
                "case_id",
                "seq",
                "from_status",
                "to_status",
                "at",
                "actor_id",
                "system_label",
                "channel",
                "note",
                "visible_to_client",
            ],
            iter(history),
        )
        history.clear()
        print(f"history rows: {rows} ({time.monotonic() - started:.1f} s)", flush=True)
        for definition in indexes:
            cursor.execute(definition)
        print(f"{len(indexes)} indexes rebuilt ({time.monotonic() - started:.1f} s)", flush=True)
        for table in (case_table, history_table):
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                    "coalesce((SELECT max(id) FROM {table}), 1))"
                ).format(name=sql.Literal(table), table=sql.Identifier(table))
            )
        for service_id, last in sequence.items():
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {table} (service_id, last_value) VALUES (%s, %s) ON CONFLICT (service_id) "
                    "DO UPDATE SET last_value = GREATEST(EXCLUDED.last_value, {table}.last_value)"
                ).format(table=sql.Identifier(CaseSequence._meta.db_table)),
                [service_id, last],
            )
    with connection.cursor() as cursor:
        # every table: the filled ones and the catalogue's (without its statistics the planner took
        # VSAA for an agency of one service and the change feed took 30 ms instead of 4)
        cursor.execute("ANALYZE")
    rng.shuffle(vsaa_numbers)
    numbers_file.parent.mkdir(parents=True, exist_ok=True)
    numbers_file.write_text("\n".join(vsaa_numbers) + "\n")
    print(
        f"done in {time.monotonic() - started:.1f} s; {len(vsaa_numbers)} VSAA case numbers in {numbers_file}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sample", type=int, default=50_000, help="how many VSAA case numbers to write")
    # in the checkout (bench/results/, git-ignored), not a fixed name in the shared /tmp
    parser.add_argument("--numbers-file", type=Path, default=ROOT / "bench" / "results" / "case_numbers.txt")
    parser.add_argument("--reset", action="store_true", help="delete the cases and bench persons first")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/pspp_bench)."
        )
    generate(
        cases=args.cases,
        persons=args.persons,
        seed=args.seed,
        numbers_file=args.numbers_file,
        sample=args.sample,
        do_reset=args.reset,
    )


if __name__ == "__main__":
    main()
