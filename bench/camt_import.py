#!/usr/bin/env python
"""Bank statement import (camt.053): N entries parsed, stored and matched to invoices set-based
(target: 100,000 entries in under 30 seconds), and the import's memory (it must not grow with the
file).

Each run, on PostgreSQL in a database of its own (created and migrated if missing):
- removes what an earlier run added (marked "bench: camt"), then adds set-based (INSERT … SELECT
  generate_series) one open invoice of 4.27 EUR for every transaction the file will carry, each with
  its case (service 1036 of PMLP, the pilot catalogue; the demo payees);
- writes, streaming, a camt.053.001.08 of N entries to a temporary file: every 10th a batch entry of
  3 transactions, every 100th a debit (a fee, ignored); of the transactions 80% pay their invoice in
  full, 5% in part (2.00), 5% too much (5.00), 5% carry an RF reference of no invoice and 5% none
  (unmatched); opening and closing balances that agree;
- times the reader alone over the file (no database; once more under tracemalloc for the peak of
  Python's allocations), then `bank_statement_import` in a fresh child process, and prints its wall
  time, its peak RSS (resource.getrusage) beside its resident set just before the import, the
  report, and a second import of the same file (all duplicates).

The follow-up of the settled invoices is left in the outbox (not handed to a broker: the bench
measures the import) and removed after.

    .venv/bin/python bench/camt_import.py                 # N=10,000 and N=100,000
    .venv/bin/python bench/camt_import.py --entries 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/camt_import.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench_camt")

MARK = "bench: camt"
SERVICE_CODE = "1036"
CASE_OFFSET = 5_000_000  # case numbers 1036-5000001 … : clear of real ones
FEE = Decimal("4.27")


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The resident set now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- the child: one import, measured ----------------------------------------------------------------


def child_import(path: str) -> None:
    import django

    django.setup()
    from kernel.actors import Actor
    from outbox import services as outbox
    from payments.services.statements import bank_statement_import

    outbox.relay_one = lambda **_kw: False  # the follow-up stays in the outbox
    before = rss_mb()
    started = time.perf_counter()
    with open(path, "rb") as file:
        statement = bank_statement_import(
            actor=Actor.system(MARK), file=file, file_name=os.path.basename(path)
        )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"seconds": seconds, "rss_before_mb": before, "peak_rss_mb": rss_mb(), "report": statement.report}
        )
    )


def run_child(path: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child-import", path], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the parent: data, file, runs -------------------------------------------------------------------


def plan(entries: int):
    """(entry index, [(kind, amount)]) per entry; kinds: exact, part, over, unknown, none, debit."""
    t = 0
    for i in range(entries):
        if i % 100 == 99:
            yield i, [("debit", Decimal("0.35"))]
            continue
        txs = []
        for _k in range(3 if i % 10 == 0 else 1):
            k = t % 20
            kind = {0: "none", 1: "unknown", 2: "part", 3: "over"}.get(k, "exact")
            amount = {"part": Decimal("2.00"), "over": Decimal("5.00")}.get(kind, FEE)
            txs.append((kind, amount, t))
            t += 1
        yield i, txs


def transactions_in(entries: int) -> int:
    return sum(len(txs) for _i, txs in plan(entries) if txs[0][0] != "debit")


def generate(entries: int) -> tuple[int, str]:
    """Remove the earlier bench rows; add one invoice (and its case) per transaction. Returns the
    number of invoices and the payee's IBAN."""
    from django.db import connection, transaction

    from catalogue.demo import load_pilot_catalogue
    from catalogue.models import Service
    from eaccount.demo import load_demo_people
    from eaccount.models import Person
    from payments.demo import load_demo_payees
    from payments.models import Payee
    from payments.references import rf_reference_for

    load_pilot_catalogue()
    load_demo_people()
    load_demo_payees()
    service = Service.objects.get(code=SERVICE_CODE)
    payee = Payee.objects.get(agency_id=service.agency_id)
    person = Person.objects.order_by("pk").first()
    invoices = transactions_in(entries)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # only the bench's own rows go, in an order that leaves no reference behind: skip the per-row
        # foreign-key triggers (a payment's check would scan the transactions, which have no index
        # on payment_id), as bench/cases_generate.py does. Needs a superuser (the bench's postgres).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM payments_banktransaction WHERE statement_id IN "
            "(SELECT id FROM payments_bankstatement WHERE payee_id = %s)",
            [payee.pk],
        )
        cursor.execute("DELETE FROM payments_bankstatement WHERE payee_id = %s", [payee.pk])
        bench_cases = "SELECT id FROM requests_registry_case WHERE external_reference = %s"
        cursor.execute(
            f"DELETE FROM payments_payment WHERE invoice_id IN "  # nosec B608 - our own subquery
            f"(SELECT id FROM payments_invoice WHERE case_id IN ({bench_cases}))",
            [MARK],
        )
        cursor.execute(f"DELETE FROM payments_invoice WHERE case_id IN ({bench_cases})", [MARK])  # nosec B608
        cursor.execute(f"DELETE FROM requests_registry_statuschange WHERE case_id IN ({bench_cases})", [MARK])  # nosec B608
        cursor.execute("DELETE FROM requests_registry_case WHERE external_reference = %s", [MARK])
        cursor.execute(
            "DELETE FROM outbox_outboxmessage WHERE task = 'payments.tasks.invoices_settled_follow_up'"
        )
        cursor.execute(
            """
            INSERT INTO requests_registry_case (number, service_id, agency_id, client_person_id, basis, channel,
                authorisation_reference, status, data, result_document_name, external_reference, subject_key,
                created_at, updated_at)
            SELECT %(code)s || '-' || lpad((%(offset)s + g)::text, 7, '0'), %(service)s, %(agency)s, %(person)s,
                   'self', 'e_service', '', 'registered', '{}', '', %(mark)s, '', now(), now()
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {
                "code": SERVICE_CODE,
                "offset": CASE_OFFSET,
                "service": service.pk,
                "agency": service.agency_id,
                "person": person.pk,
                "mark": MARK,
                "n": invoices,
            },
        )
        # the reference: RF + ISO 7064 mod 97-10 check digits + the body (service code, case, invoice 01)
        cursor.execute(
            """
            INSERT INTO payments_invoice (case_id, seq, service_code, payer_person_id, payer_organisation_id,
                payee_id, amount, paid_amount, kind, state, reference, issued_at, due_date, pdf, updated_at)
            SELECT c.id, 1, %(code)s, %(person)s, NULL, %(payee)s, %(fee)s, 0, 'prepayment', 'issued',
                   'RF' || lpad((98 - mod((b.body || '271500')::numeric, 97))::text, 2, '0') || b.body,
                   now(), current_date + 14, '', now()
            FROM requests_registry_case c
            CROSS JOIN LATERAL (SELECT replace(c.number, '-', '') || '01' AS body) b
            WHERE c.external_reference = %(mark)s
            """,
            {"code": SERVICE_CODE, "person": person.pk, "payee": payee.pk, "fee": FEE, "mark": MARK},
        )
        cursor.execute(
            "SELECT reference FROM payments_invoice i JOIN requests_registry_case c ON c.id = i.case_id "
            "WHERE c.number = %s",
            [f"{SERVICE_CODE}-{CASE_OFFSET:07d}"],
        )
        assert cursor.fetchone()[0] == rf_reference_for(
            case_number=f"{SERVICE_CODE}-{CASE_OFFSET:07d}", invoice_seq=1
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_registry_case")
        cursor.execute("ANALYZE payments_invoice")
        cursor.execute("ANALYZE payments_payment")
        cursor.execute("ANALYZE payments_banktransaction")
    print(f"  {invoices:,} invoices and cases in {time.perf_counter() - started:.1f} s", flush=True)
    return invoices, payee.iban


def write_file(path: str, entries: int, iban: str) -> None:
    """The camt.053.001.08, written as it goes (the memory stays small)."""
    from payments.references import rf_reference, rf_reference_for

    def reference(t: int) -> str:
        return rf_reference_for(case_number=f"{SERVICE_CODE}-{CASE_OFFSET + t:07d}", invoice_seq=1)

    credits = debits = Decimal("0.00")
    body_path = path + ".entries"
    with open(body_path, "w", encoding="utf-8") as body:
        for i, txs in plan(entries):
            if txs[0][0] == "debit":
                amount = txs[0][1]
                debits += amount
                body.write(
                    f'<Ntry><NtryRef>B{i:09d}</NtryRef><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
                    f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt>"
                    f"<AddtlNtryInf>Komisijas maksa</AddtlNtryInf></Ntry>\n"
                )
                continue
            total = sum(amount for _kind, amount, _t in txs)
            credits += total
            details = []
            for kind, amount, t in txs:
                if kind == "none":
                    remittance = "<Ustrd>Par pakalpojumu</Ustrd>"
                elif kind == "unknown":
                    remittance = (
                        f"<Strd><CdtrRefInf><Ref>{rf_reference(f'9999{t:09d}01')}</Ref></CdtrRefInf></Strd>"
                    )
                elif t % 2:  # half structured, half typed in the free text in groups
                    remittance = f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{reference(t)}</Ref></CdtrRefInf></Strd>"
                else:
                    ref = reference(t)
                    grouped = " ".join(ref[k : k + 4] for k in range(0, len(ref), 4))
                    remittance = f"<Ustrd>Rēķins {grouped} izziņa</Ustrd>"
                details.append(
                    f'<TxDtls><Refs><EndToEndId>E2E-{t}</EndToEndId></Refs><Amt Ccy="EUR">{amount}</Amt>'
                    f"<RltdPties><Dbtr><Pty><Nm>Maksātājs {t}</Nm></Pty></Dbtr>"
                    f"<DbtrAcct><Id><IBAN>LV97HABA0012345678910</IBAN></Id></DbtrAcct></RltdPties>"
                    f"<RmtInf>{remittance}</RmtInf></TxDtls>"
                )
            body.write(
                f'<Ntry><NtryRef>B{i:09d}</NtryRef><Amt Ccy="EUR">{total}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt>"
                f"<AcctSvcrRef>A{i:09d}</AcctSvcrRef>"
                f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
                f"<NtryDtls>{''.join(details)}</NtryDtls></Ntry>\n"
            )
    opening = Decimal("1000.00")
    closing = opening + credits - debits

    def bal(code: str, amount: Decimal) -> str:
        return (
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount}</Amt>'
            f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>"
        )

    with open(path, "w", encoding="utf-8") as out, open(body_path, encoding="utf-8") as body:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
            f"<GrpHdr><MsgId>BENCH-{entries}</MsgId><CreDtTm>2026-11-30T23:00:00</CreDtTm></GrpHdr>"
            f"<Stmt><Id>BENCH-{entries}</Id><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            f"{bal('OPBD', opening)}{bal('CLBD', closing)}\n"
        )
        while chunk := body.read(1 << 20):
            out.write(chunk)
        out.write("</Stmt></BkToCstmrStmt></Document>\n")
    os.unlink(body_path)


def parse_only(path: str, *, traced: bool = False) -> tuple[float, int, float]:
    """The reader alone over the file: seconds, transactions, and (traced) the peak of the memory
    Python allocated meanwhile (tracemalloc, MB)."""
    import tracemalloc

    from payments import camt

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    count = 0
    with open(path, "rb") as file:
        for event in camt.read(file):
            count += isinstance(event, camt.CamtItem)
    seconds = time.perf_counter() - started
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, count, peak


def bench(entries: int) -> None:
    from django.db import connection

    print(f"\n== {entries:,} entries", flush=True)
    invoices, iban = generate(entries)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"camt053_{entries}.xml")
        started = time.perf_counter()
        write_file(path, entries, iban)
        size = os.path.getsize(path) / 1e6
        print(f"  file: {size:.1f} MB written in {time.perf_counter() - started:.1f} s", flush=True)
        seconds, items, _peak = parse_only(path)
        print(f"  reader alone: {items:,} transactions in {seconds:.1f} s", flush=True)
        _seconds, _items, peak = parse_only(path, traced=True)
        print(f"  reader alone, traced: peak of Python's allocations {peak:.2f} MB", flush=True)
        connection.close()  # the child imports on its own connection
        first = run_child(path)
        report = first["report"]
        print(
            f"  import: {first['seconds']:.1f} s, peak RSS {first['peak_rss_mb']:.0f} MB "
            f"(resident before the import {first['rss_before_mb']:.0f} MB)",
            flush=True,
        )
        print("  report: " + json.dumps({k: v for k, v in report.items() if k != "balances"}), flush=True)
        second = run_child(path)
        print(
            f"  the same file again: {second['seconds']:.1f} s, duplicates {second['report']['duplicates']:,}, "
            f"matched {second['report']['matched']}, peak RSS {second['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM outbox_outboxmessage WHERE task = 'payments.tasks.invoices_settled_follow_up'"
        )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child-import":
        child_import(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, action="append", help="default: 10,000 and 100,000")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for entries in args.entries or [10_000, 100_000]:
        bench(entries)


if __name__ == "__main__":
    main()
