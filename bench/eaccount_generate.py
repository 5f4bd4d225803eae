#!/usr/bin/env python
"""Give the e-account benchmark's heavy person (the first "Bench" person, the one bench/pages.py
times "my cases" for) the rest of issue 11's figures, on top of the 1,000,000-case set:

- 500 cases (moved from other Bench persons at VSAA, as bench/pages.py does);
- 2,000 client-visible status changes in all (the generated history gives ~1,530; the rest are
  added as notes on the cases, status unchanged, dated within each case's life);
- 300 e-account messages (eaccount.models.Message): each about one of the cases (its thread),
  from the case's agency, 40 unread, 30 archived;
- 1,000 audit read events of their data (the "who looked at my data" page): 600 officials opening
  case pages or files, 250 reads by agency systems through the API, 150 of their own;

and, so that the indexes have something to skip, 200,000 messages and 300,000 read events of other
Bench persons. Set-based: one INSERT … SELECT generate_series per kind, ANALYZE after.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench
    .venv/bin/python manage.py migrate && .venv/bin/python bench/cases_generate.py --reset
    .venv/bin/python bench/eaccount_generate.py          # --reset: delete what it added, then add

Idempotent: a second run adds nothing (the rows it adds carry the mark "bench: eaccount").
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from eaccount.models import Person  # noqa: E402
from eaccount.services import user_create_for_person  # noqa: E402
from requests_registry.models import Case  # noqa: E402

HEAVY_CASES = 500
STATUS_CHANGES = 2_000
MESSAGES = 300
UNREAD = 40
ARCHIVED = 30
READS_OFFICIAL, READS_SYSTEM, READS_OWN = 600, 250, 150
NOISE_MESSAGES = 200_000
NOISE_READS = 300_000
MARK = "bench: eaccount"  # system_label, source_key prefix and data->>'bench' of the added rows
STAFF_CODE = "010199-12101"  # Edgars Zariņš, VSAA staff (the demo people)


def heavy_person() -> Person:
    """The first Bench person, with HEAVY_CASES cases (moved from other Bench persons at VSAA)."""
    heavy = Person.objects.filter(first_name="Bench").order_by("pk").first()
    if heavy is None:
        sys.exit("No Bench persons: run bench/cases_generate.py first.")
    have = Case.objects.filter(client_person=heavy).count()
    if have < HEAVY_CASES:
        ids = list(
            Case.objects.exclude(client_person=heavy)
            .filter(client_person__first_name="Bench", service__agency__code="VSAA")
            .order_by("pk")
            .values_list("pk", flat=True)[: HEAVY_CASES - have]
        )
        Case.objects.filter(pk__in=ids).update(client_person=heavy)
    return heavy


def _one(cursor, sql: str, params=()) -> int:
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def reset(cursor) -> None:
    # the audit trail refuses deletes by trigger; replica mode (superuser) lets the bench remove its own
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("DELETE FROM audit_auditevent WHERE data->>'bench' = %s", [MARK])
    cursor.execute("DELETE FROM eaccount_message WHERE source_key LIKE %s", [MARK + "%"])
    cursor.execute("DELETE FROM requests_registry_statuschange WHERE system_label = %s", [MARK])
    cursor.execute("SET LOCAL session_replication_role = origin")


STATUS_SQL = """
WITH cases AS (
    SELECT c.id, c.status, c.created_at, c.updated_at,
           row_number() OVER (ORDER BY c.id) - 1 AS n,
           (SELECT max(h.seq) FROM requests_registry_statuschange h WHERE h.case_id = c.id) AS last
    FROM requests_registry_case c WHERE c.client_person_id = %(person)s
)
INSERT INTO requests_registry_statuschange
    (case_id, seq, from_status, to_status, at, actor_id, system_label, channel, note, visible_to_client)
SELECT c.id, c.last + 1 + g / %(cases)s, c.status, c.status,
       c.created_at + (c.updated_at - c.created_at + interval '1 hour') * ((g / %(cases)s + 1) / 8.0),
       NULL, %(mark)s, 'agency',
       'Iestāde pievienoja lietai papildu informāciju (' || (g / %(cases)s + 1) || ').', true
FROM generate_series(0, %(extra)s - 1) g JOIN cases c ON c.n = g %% %(cases)s
"""

MESSAGES_SQL = """
WITH cases AS (
    SELECT c.number, c.agency_id, s.code, a.name_lv, c.created_at,
           row_number() OVER (ORDER BY c.id) - 1 AS n
    FROM requests_registry_case c
    JOIN catalogue_service s ON s.id = c.service_id
    JOIN catalogue_agency a ON a.id = c.agency_id
    WHERE c.client_person_id = %(person)s
)
INSERT INTO eaccount_message
    (person_id, organisation_id, sender_agency_id, sender_label, subject, body, subject_en, body_en,
     link_url, service_code, case_number, source_key, created_at, read_at, archived_at)
SELECT %(person)s, NULL, c.agency_id, c.name_lv,
       'Lieta ' || c.number || ': ziņa ' || g, 'Labdien! Par jūsu lietu ' || c.number || '.',
       'Case ' || c.number || ': message ' || g, 'Hello, about your case ' || c.number || '.',
       '', c.code, c.number, %(mark)s || ' ' || g,
       c.created_at + interval '2 hours' + interval '1 minute' * g,
       CASE WHEN g < %(unread)s THEN NULL ELSE c.created_at + interval '3 hours' + interval '1 minute' * g END,
       CASE WHEN g >= %(total)s - %(archived)s THEN now() ELSE NULL END
FROM generate_series(0, %(total)s - 1) g JOIN cases c ON c.n = g %% %(cases)s
"""

NOISE_MESSAGES_SQL = """
WITH persons AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM eaccount_person
    WHERE first_name = 'Bench' AND id <> %(person)s
)
INSERT INTO eaccount_message
    (person_id, organisation_id, sender_agency_id, sender_label, subject, body, subject_en, body_en,
     link_url, service_code, case_number, source_key, created_at, read_at, archived_at)
SELECT p.id, NULL, NULL, 'Portāls', 'Paziņojums ' || g, 'Labdien!', '', '', '', '', '',
       %(mark)s || ' noise ' || g, now() - interval '1 minute' * (g * 7 %% 1051200), NULL, NULL
FROM generate_series(0, %(total)s - 1) g
JOIN persons p ON p.n = g %% (SELECT count(*) FROM persons)
"""

READS_SQL = """
WITH cases AS (
    SELECT c.id, c.number, c.created_at, a.name_lv, a.name_en, a.code,
           row_number() OVER (ORDER BY c.id) - 1 AS n
    FROM requests_registry_case c JOIN catalogue_agency a ON a.id = c.agency_id
    WHERE c.client_person_id = %(person)s
)
INSERT INTO audit_auditevent
    (at, actor_id, actor_label, acting_for_type, acting_for_id, acting_for_label, action, object_type,
     object_id, reason, ip_address, data, subject_type, subject_id)
SELECT c.created_at + interval '5 hours' + interval '1 minute' * g,
       CASE WHEN g < %(official)s THEN %(staff_id)s::bigint WHEN g < %(official)s + %(system)s THEN NULL
            ELSE %(user_id)s::bigint END,
       CASE WHEN g < %(official)s THEN %(staff_label)s WHEN g < %(official)s + %(system)s THEN 'API: VSAA bench'
            ELSE %(person_label)s END,
       'eaccount.person', %(person)s::text, %(person_label)s,
       CASE WHEN g < %(official)s THEN (CASE WHEN g %% 5 = 0 THEN 'case.file_view' ELSE 'case.view' END)
            WHEN g < %(official)s + %(system)s THEN 'case.api_read' ELSE 'case.view' END,
       'requests_registry.case', c.id::text,
       CASE WHEN g < %(official)s THEN 'case processing: ' || c.number
            WHEN g < %(official)s + %(system)s THEN 'VSAA bench' ELSE '' END,
       '192.0.2.10',
       CASE WHEN g < %(official)s THEN jsonb_build_object(
                'number', c.number, 'what', CASE WHEN g %% 5 = 0 THEN 'file' ELSE 'case' END,
                'file', CASE WHEN g %% 5 = 0 THEN 'iesniegums.pdf' END,
                'reader', 'official', 'agency', c.name_lv, 'agency_en', c.name_en, 'agency_code', c.code,
                'purpose', 'case_processing', 'bench', %(mark)s)
            WHEN g < %(official)s + %(system)s THEN jsonb_build_object(
                'number', c.number, 'what', 'case', 'reader', 'agency_system', 'agency', c.name_lv,
                'agency_en', c.name_en, 'agency_code', c.code, 'purpose', 'api', 'api_client', 'VSAA bench',
                'via', 'detail', 'bench', %(mark)s)
            ELSE jsonb_build_object(
                'number', c.number, 'what', 'case', 'reader', 'client', 'basis', 'self', 'bench', %(mark)s)
       END,
       'eaccount.person', %(person)s::text
FROM generate_series(0, %(total)s - 1) g JOIN cases c ON c.n = g %% %(cases)s
"""

NOISE_READS_SQL = """
WITH persons AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM eaccount_person
    WHERE first_name = 'Bench' AND id <> %(person)s
)
INSERT INTO audit_auditevent
    (at, actor_id, actor_label, acting_for_type, acting_for_id, acting_for_label, action, object_type,
     object_id, reason, ip_address, data, subject_type, subject_id)
SELECT now() - interval '1 minute' * (g * 13 %% 1051200), %(staff_id)s::bigint, %(staff_label)s,
       'eaccount.person', p.id::text, 'Bench', 'case.view', 'requests_registry.case', '0',
       'case processing', '192.0.2.10',
       jsonb_build_object('number', '0000-0000000', 'what', 'case', 'reader', 'official',
                          'agency', 'Iestāde', 'agency_en', 'Agency', 'agency_code', 'VSAA',
                          'purpose', 'case_processing', 'bench', %(mark)s),
       'eaccount.person', p.id::text
FROM generate_series(0, %(total)s - 1) g
JOIN persons p ON p.n = g %% (SELECT count(*) FROM persons)
"""


def generate(*, do_reset: bool) -> None:
    started = time.monotonic()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    with transaction.atomic(), connection.cursor() as cursor:
        if do_reset:
            reset(cursor)
        heavy = heavy_person()
        staff = Person.objects.filter(personal_code=STAFF_CODE).first()
        staff_user = (getattr(staff, "user", None) or user_create_for_person(person=staff)) if staff else None
        heavy_user = getattr(heavy, "user", None) or user_create_for_person(person=heavy)
        params = {
            "person": heavy.pk,
            "cases": HEAVY_CASES,
            "mark": MARK,
            "staff_id": staff_user.pk if staff_user else None,
            "staff_label": staff.full_name if staff else "Edgars Zariņš",
            "user_id": heavy_user.pk,
            "person_label": heavy.full_name,
        }
        print(
            f"heavy person {heavy.pk}: {HEAVY_CASES} cases ({time.monotonic() - started:.1f} s)", flush=True
        )

        visible = _one(
            cursor,
            "SELECT count(*) FROM requests_registry_statuschange h JOIN requests_registry_case c "
            "ON c.id = h.case_id WHERE c.client_person_id = %s AND h.visible_to_client",
            [heavy.pk],
        )
        if visible < STATUS_CHANGES:
            cursor.execute(STATUS_SQL, {**params, "extra": STATUS_CHANGES - visible})
        print(f"status changes: {visible} -> {max(visible, STATUS_CHANGES)}", flush=True)

        have = _one(cursor, "SELECT count(*) FROM eaccount_message WHERE person_id = %s", [heavy.pk])
        if have < MESSAGES:
            cursor.execute(
                MESSAGES_SQL, {**params, "total": MESSAGES, "unread": UNREAD, "archived": ARCHIVED}
            )
            cursor.execute(NOISE_MESSAGES_SQL, {**params, "total": NOISE_MESSAGES})
        print(f"messages: {MESSAGES} (+{NOISE_MESSAGES} of others) ({time.monotonic() - started:.1f} s)")

        have = _one(
            cursor,
            "SELECT count(*) FROM audit_auditevent WHERE subject_type = 'eaccount.person' AND subject_id = %s",
            [str(heavy.pk)],
        )
        total = READS_OFFICIAL + READS_SYSTEM + READS_OWN
        if have < total:
            cursor.execute(
                READS_SQL,
                {**params, "total": total, "official": READS_OFFICIAL, "system": READS_SYSTEM},
            )
            cursor.execute(NOISE_READS_SQL, {**params, "total": NOISE_READS})
        print(f"audit reads: {total} (+{NOISE_READS} of others) ({time.monotonic() - started:.1f} s)")
    with connection.cursor() as cursor:
        for table in (
            "requests_registry_case",
            "requests_registry_statuschange",
            "eaccount_message",
            "audit_auditevent",
        ):
            cursor.execute(f"ANALYZE {table}")
    print(f"done in {time.monotonic() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reset", action="store_true", help="delete the rows this script added first")
    args = parser.parse_args()
    generate(do_reset=args.reset)


if __name__ == "__main__":
    main()
