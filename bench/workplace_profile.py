#!/usr/bin/env python
"""Time the one-stop centre's 360 client profile (issue 17 item 3), in-process: the reads
(`workplace.selectors.profile.client_profile`) and the partial template (`workplace/_profile.html`)
for a client with 500 cases, 100 invoices and 200 consultations (also 100 notices, 50 documents,
6 delegations, a child and a company), beside a client with one of each:

- the centre specialist's whole view and an agency's staff's view (the agency of most of the
  client's cases, with links to the staff's case pages);
- each row: median and p95 of --repeat runs (default 50, after 3 warm-up runs) of the reads and the
  rendering together, the reads alone, the query count and the time the queries took (median of 5 runs);
- the query counts must not depend on the data: the heavy client's equal the light client's —
  asserted; the issue's target: 100 ms median.

The client's rows are written set-based (bulk_create) on top of whatever cases the database holds:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/cases_generate.py --reset            # 1,000,000 cases (--cases N for fewer)
    .venv/bin/python bench/workplace_profile.py --setup         # the two clients (again: --setup replaces them)
    .venv/bin/python bench/workplace_profile.py                 # --repeat 100
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench")
os.environ.setdefault("DEBUG", "0")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from stdnum.lv import pvn  # noqa: E402

from catalogue.demo import load_pilot_catalogue  # noqa: E402
from catalogue.models import Service, ServiceCentre  # noqa: E402
from delegation.models import Delegation  # noqa: E402
from eaccount.models import (  # noqa: E402
    BoardMembership,
    Document,
    Organisation,
    ParentChild,
    Person,
    RegisterDocument,
)
from notifications.models import Notification  # noqa: E402
from payments.models import Invoice, Payee  # noqa: E402
from payments.references import rf_reference_for  # noqa: E402
from requests_registry.models import Case, CaseSequence, Consultation  # noqa: E402
from workplace.selectors.profile import client_profile  # noqa: E402

TARGET_MS = 100.0
HEAVY = {
    "cases": 500,
    "invoices": 100,
    "consultations": 200,
    "notices": 100,
    "documents": 50,
    "delegations": 6,
}
LIGHT = dict.fromkeys(HEAVY, 1)
# the two clients: new-format personal codes far past bench/cases_generate.py's persons
CLIENTS = {"heavy": 30_000_001, "light": 30_000_002}
CHILDREN = {"heavy": 30_000_003, "light": 30_000_004}
STATUSES = ["submitted", "registered", "in_progress", "needs_info", "completed", "completed", "rejected"]
CHANNELS = ["e_service", "e_service", "vpvkac", "agency", "post"]


def personal_code(n: int) -> str:
    body = f"32{50_000_000 + n:08d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


def _clear(person: Person) -> None:
    Invoice.objects.filter(payer_person=person).delete()
    Consultation.objects.filter(client_person=person).delete()
    Notification.objects.filter(recipient_person=person).delete()
    Document.objects.filter(person=person).delete()
    Delegation.objects.filter(principal_person=person).delete()
    Case.objects.filter(client_person=person).delete()  # its history and sequences cascade
    ParentChild.objects.filter(parent=person).delete()
    BoardMembership.objects.filter(person=person).delete()
    RegisterDocument.objects.filter(person=person).delete()


def _payee(agency_id: int, n: int) -> Payee:
    from stdnum import iban

    body = f"TREL{900_000_000 + n:013d}"
    payee, _created = Payee.objects.get_or_create(
        agency_id=agency_id,
        defaults={
            "legal_name": "Valsts kase (bench)",
            "registration_number": "90000055243",
            "iban": f"LV{iban.calc_check_digits('LV00' + body)}{body}",
            "bic": "TRELLV22",
        },
    )
    return payee


@transaction.atomic
def make_client(name: str, sizes: dict, rng: random.Random) -> Person:
    """The client and their rows, written set-based: one INSERT per table (bulk_create)."""
    person, _created = Person.objects.get_or_create(
        personal_code=personal_code(CLIENTS[name]),
        defaults={
            "first_name": "Profils",
            "last_name": name.capitalize(),
            "email": f"profile-{name}@example.lv",
            "phone": "+37120000002",
            "address": "Rīgas iela 1, Valmiera",
        },
    )
    _clear(person)
    services = list(
        Service.objects.filter(state="published", audience__in=["person", "both"]).order_by("code")
    )
    if not services:
        services = list(Service.objects.order_by("code"))
    # most of the cases at one agency (VSAA when there is one): its staff's view is the larger one
    main_agency = next((s.agency_id for s in services if s.agency.code == "VSAA"), services[0].agency_id)
    main = [s for s in services if s.agency_id == main_agency]
    centres = list(ServiceCentre.objects.all()[:3])
    now = timezone.now()
    chosen = [rng.choice(main) if i % 3 else rng.choice(services) for i in range(sizes["cases"])]
    per_service = Counter(s.pk for s in chosen)
    next_value = {}
    for service_id, count in per_service.items():
        sequence, _created = CaseSequence.objects.select_for_update().get_or_create(service_id=service_id)
        next_value[service_id] = sequence.last_value + 1
        CaseSequence.objects.filter(pk=service_id).update(last_value=F("last_value") + count)
    cases = []
    for i, service in enumerate(chosen):
        value = next_value[service.pk]
        next_value[service.pk] += 1
        created = now - timedelta(hours=rng.randrange(1, 3 * 365 * 24))
        channel = rng.choice(CHANNELS)
        cases.append(
            Case(
                created_at=created,
                number=f"{service.code}-{value:07d}",
                service=service,
                agency_id=service.agency_id,
                client_person=person,
                basis="self",
                channel=channel,
                centre=rng.choice(centres) if channel == "vpvkac" and centres else None,
                status=STATUSES[i % len(STATUSES)],
                planned_completion=(created + timedelta(days=service.processing_days or 10)).date(),
            )
        )
    created = [case.created_at for case in cases]
    cases = Case.objects.bulk_create(cases, batch_size=1000)
    # auto_now_add overrides a given value on insert: the dates go back in one UPDATE
    for case, at in zip(cases, created, strict=True):
        case.created_at = at
    Case.objects.bulk_update(cases, ["created_at"], batch_size=1000)
    payees = {}
    invoices = []
    for i, case in enumerate(rng.sample(cases, sizes["invoices"])):
        if case.agency_id not in payees:
            payees[case.agency_id] = _payee(case.agency_id, case.agency_id)
        state = ["paid", "issued", "overdue", "paid", "partly_paid"][i % 5]
        amount = Decimal("4.27")
        invoices.append(
            Invoice(
                case=case,
                seq=1,
                service_code=case.number.split("-")[0],
                payer_person=person,
                payee=payees[case.agency_id],
                amount=amount,
                paid_amount=amount if state == "paid" else (Decimal("2.00") if state == "partly_paid" else 0),
                kind="prepayment",
                state=state,
                reference=rf_reference_for(case_number=case.number, invoice_seq=1),
                issued_at=now - timedelta(days=rng.randrange(1, 900)),
                due_date=(now + timedelta(days=rng.randrange(-300, 30))).date(),
            )
        )
    Invoice.objects.bulk_create(invoices, batch_size=1000)
    specialist = _bench_user()
    Consultation.objects.bulk_create(
        [
            Consultation(
                service=rng.choice(services),
                agency_id=main_agency if i % 2 else None,
                centre=rng.choice(centres) if centres and not i % 2 else None,
                channel=rng.choice(["phone", "vpvkac", "email"]),
                client_person=person,
                topic=f"Jautājums par pakalpojumu Nr. {i}",
                duration_minutes=rng.randrange(1, 40),
                consulted_by=specialist,
                outcome="answered",
                case=rng.choice(cases) if i % 5 == 0 else None,
            )
            for i in range(sizes["consultations"])
        ],
        batch_size=1000,
    )
    Notification.objects.bulk_create(
        [
            Notification(
                dedupe_key=f"bench-profile:{person.pk}:{i}",
                topic=["case_status_changed", "payment_due", "case_result_ready"][i % 3],
                kind="case_status",
                channel=["e_account", "email", "sms"][i % 3],
                party_key=f"person:{person.pk}",
                recipient_key=f"person:{person.pk}",
                recipient_person=person,
                basis="self",
                language="lv",
                service_code=chosen[i % len(chosen)].code,
                agency_id=chosen[i % len(chosen)].agency_id,
                subject="Paziņojums",
                state="delivered",
                sent_at=now - timedelta(days=i),
            )
            for i in range(sizes["notices"])
        ],
        batch_size=1000,
    )
    Document.objects.bulk_create(
        [
            Document(
                person=person,
                title=f"Lēmums Nr. {i}",
                file=f"eaccount/documents/bench-{person.pk}-{i}.pdf",
                original_name="lemums.pdf",
                issuer_label="Valsts sociālās apdrošināšanas aģentūra",
                service_code=chosen[i % len(chosen)].code,
            )
            for i in range(sizes["documents"])
        ],
        batch_size=1000,
    )
    agents = list(Person.objects.exclude(pk=person.pk).order_by("pk")[: sizes["delegations"] + 1])
    delegations = Delegation.objects.bulk_create(
        [Delegation(principal_person=person, agent=agent) for agent in agents[: sizes["delegations"]]]
    )
    Delegation.services.through.objects.bulk_create(
        [
            Delegation.services.through(delegation_id=d.pk, service_id=s.pk)
            for d in delegations[::2]
            for s in rng.sample(services, 3)
        ]
    )
    child, _created = Person.objects.get_or_create(
        personal_code=personal_code(CHILDREN[name]),
        defaults={"first_name": "Bērns", "last_name": name.capitalize(), "has_eid": False},
    )
    Person.objects.filter(pk=child.pk).update(birth_date=(now - timedelta(days=5 * 365)).date())
    ParentChild.objects.create(parent=person, child=child)
    company = Organisation.objects.order_by("pk").first()
    if company is not None:
        BoardMembership.objects.create(person=person, organisation=company, position="Valdes loceklis")
    RegisterDocument.objects.create(
        person=person,
        kind="passport",
        number=f"BP{person.pk:07d}",
        expires_on=(now + timedelta(days=400)).date(),
    )
    return person


def _bench_user():
    from eaccount.models import User

    return User.objects.order_by("pk").first()


def setup() -> None:
    started = time.monotonic()
    if not Service.objects.exists():
        load_pilot_catalogue()
    rng = random.Random(17)
    for name, sizes in (("heavy", HEAVY), ("light", LIGHT)):
        make_client(name, sizes, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"clients written in {time.monotonic() - started:.1f} s")


def _run(person, agency_ids) -> str:
    profile = client_profile(party=person, agency_ids=agency_ids)
    return render_to_string(
        "workplace/_profile.html", {"profile": profile, "links_to_cases": agency_ids is not None}
    )


def _time(fn, repeat: int) -> list[float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def measure(repeat: int) -> None:
    persons = {name: Person.objects.get(personal_code=personal_code(n)) for name, n in CLIENTS.items()}
    heavy = persons["heavy"]
    agency_id = (
        Case.objects.filter(client_person=heavy)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["agency_id"]
    )
    total_cases = Case.objects.count()
    print(
        f"database: {connection.settings_dict['NAME']}, {total_cases:,} cases; heavy client: "
        f"{Case.objects.filter(client_person=heavy).count()} cases, "
        f"{Invoice.objects.filter(payer_person=heavy).count()} invoices, "
        f"{Consultation.objects.filter(client_person=heavy).count()} consultations"
    )
    print(f"{repeat} runs each after 3 warm-up runs; times in ms; load average {os.getloadavg()[0]:.2f}")
    header = f"{'view':<8} {'client':<6} {'median':>7} {'p95':>7} {'reads med':>9} {'queries':>7} {'SQL ms':>7} {'HTML kB':>7}"
    print(header)
    counts: dict[tuple[str, str], int] = {}
    medians = []
    with translation.override("lv"):
        for view, agency_ids in (("centre", None), ("agency", {agency_id})):
            for name, person in persons.items():
                whole = _time(lambda p=person, a=agency_ids: _run(p, a), repeat)
                reads = _time(lambda p=person, a=agency_ids: client_profile(party=p, agency_ids=a), repeat)
                sql_times = []
                for _ in range(5):
                    with CaptureQueriesContext(connection) as captured:
                        html = _run(person, agency_ids)
                    sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                sql_ms = statistics.median(sql_times)
                counts[view, name] = len(captured.captured_queries)
                if name == "heavy":
                    medians.append(statistics.median(whole))
                print(
                    f"{view:<8} {name:<6} {statistics.median(whole):7.1f} {_p95(whole):7.1f} "
                    f"{statistics.median(reads):9.1f} {len(captured.captured_queries):7d} {sql_ms:7.1f} "
                    f"{len(html) / 1024:7.1f}"
                )
    for view in ("centre", "agency"):
        assert counts[view, "heavy"] == counts[view, "light"], f"{view}: query count depends on the data"
    verdict = "met" if max(medians) < TARGET_MS else "MISSED"
    print(f"query counts equal for both clients; target {TARGET_MS:.0f} ms median: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="(re)write the two clients' rows")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if args.setup:
        setup()
    measure(args.repeat)


if __name__ == "__main__":
    main()
