#!/usr/bin/env python
"""The proactive rules' scan over 1,000,000 persons (issue 12, item 5: under 60 seconds, and its plan).

Generates, once, on PostgreSQL (set-based: INSERT … SELECT generate_series, ANALYZE after):
- 1,000,000 "Bench" persons, every sixth a minor (born within the last 18 years, so ~1,500 born in
  the last 60 days), each minor linked to two adult parents (~333,000 parent–child links);
- an identity card for every adult and a passport for every other one (~1,250,000 documents), valid
  until a day spread over the past 3 and the next 10 years (~2% expire within 90 days);
- 1% of the persons opted in to reminders and to offers (e-mail), everyone with an address;
- 20,000 companies, ~1% opted in; 200 in liquidation started in the last 30 days (20 of them opted in);
- 200,000 cases of the pilot services for random persons, and a 1011 (childbirth benefit) case after
  the birth for every other newborn's first parent (they applied: no offer).
Then sets the five pilot rules (1011 and 1013 after a birth, 60 days; 1031 passport and 1032 ID card
90/30/7 days before expiry; 1041 after a liquidation started, 30 days), forgets what was claimed before
and times `requests_registry.services.proactive.proactive_scan` (the selection and the claim: one
INSERT … SELECT … ON CONFLICT DO NOTHING per rule), then a second scan (nothing new), and prints
EXPLAIN (ANALYZE, BUFFERS) of each rule's selection. `--send` also times sending the claimed notices.

    .venv/bin/python bench/proactive_scan.py            # DATABASE_URL defaults to pspp_remind_bench
    .venv/bin/python bench/proactive_scan.py --regenerate   # drop the Bench rows and generate again

The database is created and migrated if it does not exist.
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_remind_bench")

PERSONS = 1_000_000
COMPANIES = 20_000
LIQUIDATIONS = 200
NOISE_CASES = 200_000


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalogue.demo import load_pilot_catalogue  # noqa: E402
from catalogue.models import Service  # noqa: E402
from notifications import proactive  # noqa: E402
from notifications.models import ProactiveRule, ProactiveSent  # noqa: E402
from requests_registry.services.proactive import proactive_candidates, proactive_scan  # noqa: E402


def _run(cursor, label: str, statement: str, params=()) -> None:
    started = time.perf_counter()
    cursor.execute(statement, params)
    print(f"  {label}: {cursor.rowcount:,} rows, {time.perf_counter() - started:.1f} s", flush=True)


def regenerate(cursor) -> None:
    print("removing the Bench rows", flush=True)
    bench_persons = "SELECT id FROM eaccount_person WHERE first_name = 'Bench'"
    bench_companies = "SELECT id FROM eaccount_organisation WHERE name LIKE 'Bench %'"
    for statement in (
        "DELETE FROM notifications_proactivesent",
        "DELETE FROM requests_registry_case WHERE external_reference = 'bench: proactive'",
        f"DELETE FROM eaccount_registerdocument WHERE person_id IN ({bench_persons})",
        f"DELETE FROM eaccount_parentchild WHERE child_id IN ({bench_persons})",
        f"DELETE FROM eaccount_noticepreference WHERE person_id IN ({bench_persons})",
        f"DELETE FROM eaccount_noticepreference WHERE organisation_id IN ({bench_companies})",
        f"DELETE FROM eaccount_organisationliquidation WHERE organisation_id IN ({bench_companies})",
        "DELETE FROM eaccount_person WHERE first_name = 'Bench'",
        "DELETE FROM eaccount_organisation WHERE name LIKE 'Bench %'",
    ):
        cursor.execute(statement)


def generate(cursor) -> None:
    today = timezone.localdate()
    print(f"generating {PERSONS:,} persons (today {today})", flush=True)
    # consistent by construction (codes unique, ids from one sequence run): skip the per-row triggers
    # (foreign keys, the person codes' advisory locks: a million of them exhaust the lock table), as
    # bench/cases_generate.py does. Needs a superuser (the bench's postgres).
    cursor.execute("SET LOCAL session_replication_role = replica")
    _run(
        cursor,
        "persons",
        """
        INSERT INTO eaccount_person (personal_code, first_name, last_name, birth_date, email, phone, address,
                                     preferred_language, has_eid, created_at)
        SELECT 'BX' || lpad(g::text, 9, '0'), 'Bench', 'Person ' || g,
               CASE WHEN mod(g, 6) = 0 THEN %(today)s - mod(g::bigint * 7919, 6570)::int
                    ELSE %(today)s - 6575 - mod(g::bigint * 13, 21900)::int END,
               'bench' || g || '@example.lv', '', '', 'lv', mod(g, 6) <> 0, now()
        FROM generate_series(1, %(n)s) AS g
        """,
        {"today": today, "n": PERSONS},
    )
    cursor.execute("SELECT min(id) FROM eaccount_person WHERE first_name = 'Bench'")
    base = cursor.fetchone()[0] - 1  # person g has id base + g (one INSERT, one sequence run)
    _run(
        cursor,
        "parent-child links",
        """
        INSERT INTO eaccount_parentchild (parent_id, child_id)
        SELECT %(base)s + g - k, %(base)s + g FROM generate_series(6, %(n)s, 6) AS g, (VALUES (1), (2)) AS p(k)
        """,
        {"base": base, "n": PERSONS},
    )
    _run(
        cursor,
        "documents",
        """
        INSERT INTO eaccount_registerdocument (person_id, kind, number, expires_on)
        SELECT %(base)s + g, d.kind, d.prefix || lpad(g::text, 9, '0'),
               %(today)s - 1095 + mod(g::bigint * d.mult, 4745)::int
        FROM generate_series(1, %(n)s) AS g,
             (VALUES ('id_card', 'PB', 7907), ('passport', 'LB', 4153)) AS d(kind, prefix, mult)
        WHERE mod(g, 6) <> 0 AND (d.kind = 'id_card' OR mod(g, 2) = 1)
        """,
        {"base": base, "n": PERSONS, "today": today},
    )
    _run(
        cursor,
        "notice choices (1% opted in)",
        """
        INSERT INTO eaccount_noticepreference (person_id, kind, email, sms, updated_at)
        SELECT %(base)s + g, k.kind, true, false, now()
        FROM generate_series(1, %(n)s) AS g, (VALUES ('reminder'), ('proactive_offer')) AS k(kind)
        WHERE mod(g, 100) IN (4, 5)
        """,
        {"base": base, "n": PERSONS},
    )
    _run(
        cursor,
        "companies",
        """
        INSERT INTO eaccount_organisation (registration_number, name, address, email, phone)
        SELECT 'BC' || lpad(g::text, 9, '0'), 'Bench ' || g, '', 'bench-company' || g || '@example.lv', ''
        FROM generate_series(1, %(n)s) AS g
        """,
        {"n": COMPANIES},
    )
    cursor.execute("SELECT min(id) FROM eaccount_organisation WHERE name LIKE 'Bench %%'")
    org_base = cursor.fetchone()[0] - 1
    _run(
        cursor,
        "company choices and liquidations",
        """
        WITH choices AS (
            INSERT INTO eaccount_noticepreference (organisation_id, kind, email, sms, updated_at)
            SELECT %(org_base)s + g, 'proactive_offer', true, false, now()
            FROM generate_series(1, %(n)s) AS g WHERE mod(g, 100) = 7 OR mod(g, 1000) = 3 RETURNING 1
        )
        INSERT INTO eaccount_organisationliquidation (organisation_id, started_on)
        SELECT %(org_base)s + g, %(today)s - mod(g, 30) FROM generate_series(1, %(n)s) AS g
        WHERE mod(g, %(every)s) = 3
        """,
        {"org_base": org_base, "n": COMPANIES, "today": today, "every": COMPANIES // LIQUIDATIONS},
    )
    services = dict(
        Service.objects.filter(code__in=["1011", "1013", "1031", "1032", "1041"]).values_list("code", "pk")
    )
    service_rows = list(Service.objects.order_by("pk").values_list("pk", "agency_id"))
    cursor.execute("CREATE TEMP TABLE bench_services (n int, id int, agency_id int)")
    cursor.executemany(
        "INSERT INTO bench_services VALUES (%s, %s, %s)",
        [(n, pk, agency) for n, (pk, agency) in enumerate(service_rows)],
    )
    _run(
        cursor,
        "cases (noise)",
        """
        INSERT INTO requests_registry_case (number, service_id, agency_id, client_person_id, basis, channel,
            authorisation_reference, status, data, result_document_name, external_reference, subject_key,
            created_at, updated_at)
        SELECT 'B' || lpad(g::text, 10, '0'), s.id, s.agency_id, %(base)s + 1 + mod(g::bigint * 7919, %(n)s),
               'self', 'e_service', '', 'submitted', '{}', '', 'bench: proactive', '',
               now() - make_interval(days => mod(g, 700)), now()
        FROM generate_series(1, %(cases)s) AS g
        JOIN bench_services s ON s.n = mod(g, %(services)s)
        """,
        {"base": base, "n": PERSONS, "cases": NOISE_CASES, "services": len(service_rows)},
    )
    _run(
        cursor,
        "cases (every other newborn's family applied for 1011)",
        """
        INSERT INTO requests_registry_case (number, service_id, agency_id, client_person_id, basis, channel,
            authorisation_reference, status, data, result_document_name, external_reference, subject_key,
            created_at, updated_at)
        SELECT 'BA' || lpad(p.id::text, 9, '0'), %(service)s, s.agency_id, pc.parent_id, 'self', 'e_service', '',
               'submitted', '{}', '', 'bench: proactive', p.personal_code, p.birth_date + 1, now()
        FROM eaccount_person p
        JOIN eaccount_parentchild pc ON pc.child_id = p.id AND pc.parent_id = p.id - 1
        JOIN catalogue_service s ON s.id = %(service)s
        WHERE p.first_name = 'Bench' AND p.birth_date >= %(today)s - 365 AND mod(p.id - %(base)s, 12) = 0
        """,
        {"service": services["1011"], "today": today, "base": base},
    )
    print("  ANALYZE", flush=True)
    cursor.execute("ANALYZE")


def set_rules() -> list[ProactiveRule]:
    ProactiveRule.objects.all().delete()
    services = dict(
        Service.objects.filter(code__in=["1011", "1013", "1031", "1032", "1041"]).values_list("code", "pk")
    )
    specs = [
        ("1011", {"kind": "life_event", "life_event": "child_birth", "within_days": 60}),
        ("1013", {"kind": "life_event", "life_event": "child_birth", "within_days": 60}),
        ("1031", {"kind": "document_expiry", "document_kind": "passport", "days_before": [90, 30, 7]}),
        ("1032", {"kind": "document_expiry", "document_kind": "id_card", "days_before": [90, 30, 7]}),
        ("1041", {"kind": "life_event", "life_event": "company_liquidation_started", "within_days": 30}),
    ]
    return [ProactiveRule.objects.create(service_id=services[code], **fields) for code, fields in specs]


def explain(rules: list[ProactiveRule]) -> None:
    today = timezone.localdate()
    for rule in rules:
        sql, params = proactive.proactive_selection_sql(
            candidates=proactive_candidates(rule=rule, today=today)
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print(
            f"\n--- EXPLAIN (ANALYZE, BUFFERS): rule {rule.pk} ({rule.service.code}, {rule.kind} {rule.life_event or rule.document_kind})"
        )
        print("\n".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="drop the Bench rows and generate again")
    parser.add_argument("--send", action="store_true", help="also time sending the claimed notices")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_pilot_catalogue()
    with transaction.atomic(), connection.cursor() as cursor:
        if args.regenerate:
            regenerate(cursor)
        cursor.execute("SELECT count(*) FROM eaccount_person WHERE first_name = 'Bench'")
        if cursor.fetchone()[0] < PERSONS:
            generate(cursor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM eaccount_person")
        persons = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM eaccount_registerdocument")
        documents = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM eaccount_parentchild")
        links = cursor.fetchone()[0]
    print(f"population: {persons:,} persons, {documents:,} documents, {links:,} parent-child links")

    rules = set_rules()
    ProactiveSent.objects.all().delete()
    started = time.perf_counter()
    first = proactive_scan()
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = proactive_scan()
    second_seconds = time.perf_counter() - started
    print(
        f"\nscan 1: {first.rules} rules, {first.claimed_total:,} occasions claimed in {first_seconds:.2f} s"
    )
    for rule in rules:
        print(
            f"  rule {rule.pk} {rule.service.code} {rule.kind:16} claimed {first.claimed.get(rule.pk, 0):,}"
        )
    print(f"scan 2 (again): {second.claimed_total:,} new in {second_seconds:.2f} s")
    print("target: under 60 s —", "met" if max(first_seconds, second_seconds) < 60 else "MISSED")

    if args.send:
        started = time.perf_counter()
        told = proactive.proactive_send_pending(limit=10**9, seconds=10**9)
        print(f"sent {told:,} notices in {time.perf_counter() - started:.1f} s")

    explain(rules)


if __name__ == "__main__":
    main()
