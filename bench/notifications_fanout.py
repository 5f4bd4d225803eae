"""Notifications fanned out and delivered through ONE real Celery worker, on PostgreSQL and Redis, with
the file e-mail backend and the file SMS backend: messages per second and the worker's peak memory.

    .venv/bin/python bench/notifications_fanout.py --persons 2500                 # 5,000 deliveries
    .venv/bin/python bench/notifications_fanout.py --persons 50000                # 100,000 deliveries
    .venv/bin/python bench/notifications_fanout.py --persons 2000 --fanout notify  # notify() per person

Each generated person has an e-mail address and a mobile number and chose both for status notices, so
each is told on three channels: the e-account (written at once, no worker) and an e-mail and an SMS,
each sent by its own `notification_deliver` task. "Deliveries" below are those e-mails and SMS.

Fan-out, `--fanout`:
- `bulk` (default): the Notification rows a notify() would record, rendered once and written with
  bulk_create (5,000 a statement), then handed to the broker by `notifications.services.hand_off`,
  as notify() does after its commit. The point of the bench is the delivery side; notify() itself
  resolves recipients, choices, language and the e-account message per person (about 15 queries each),
  which is measured apart by
- `notify`: notify() per person, in transactions of 500 people (its e-account copies included), its
  tasks handed off after each commit.

The worker: `celery -A portal worker --pool=prefork --concurrency=N` (default 2) as a subprocess, on
its own queue on Redis DB 11 (CELERY_BROKER_URL=redis://127.0.0.1:6379/11; the shared cache on DB 10),
started and pinged before the first task is handed out. Its memory: the resident set (VmRSS from
/proc) of the main process and its pool children, sampled every half second; the peak of their sum and
of the largest one are reported. The database is `pspp_sat_bench` (DATABASE_URL), dropped and created
afresh by each run. The e-mails go to files in a temporary directory (one file per message, Django's
filebased backend), the SMS to files too (notifications.sms.FileSmsBackend); both are counted at the end
against the rows' states.

This module is also the settings of the script and of its worker (DJANGO_SETTINGS_MODULE=
bench.notifications_fanout): the product's settings with the file e-mail backend (Django's
EMAIL_BACKEND variable alone cannot give it its directory), no SMS quiet hours and no per-agency rate
limit (neither is what is measured). Never used by the product.
"""

import os
import tempfile

if __name__ != "__main__":  # imported as the settings module (this script's and its worker's)
    from portal.settings import *  # noqa: F403

    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {
                "file_path": os.environ.get("BENCH_EMAIL_DIR")
                or os.path.join(tempfile.gettempdir(), "pspp-bench-mail")
            },
        }
    }
    SMS_BACKEND = "notifications.sms.FileSmsBackend"
    NOTIFICATIONS_SMS_QUIET_HOURS = (0, 0)
    NOTIFICATIONS_AGENCY_RATE_PER_MINUTE = 0


def _env_defaults() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_sat_bench")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.notifications_fanout"
    os.environ.setdefault("DJANGO_ENV", "development")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def _recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    *server, name = url.rsplit("/", 1)
    if not name.startswith("pspp_sat"):
        raise SystemExit(f"refusing to drop {name!r}: the bench uses a database named pspp_sat*")
    with psycopg.connect(f"{server[0]}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _tree_rss_kib(pid: int) -> tuple[int, int]:
    """(sum, largest) VmRSS in KiB of `pid` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total = largest = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        kib = int(line.split()[1])
                        total += kib
                        largest = max(largest, kib)
                        break
        except OSError:
            continue
    return total, largest


def main() -> None:  # noqa: PLR0915 - one script, read top to bottom
    import argparse
    import shutil
    import signal
    import subprocess
    import sys
    import tempfile
    import threading
    import time
    import uuid
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=2500, help="each gets an e-mail and an SMS")
    parser.add_argument("--fanout", choices=("bulk", "notify"), default="bulk")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's pool processes")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds to wait for the deliveries")
    args = parser.parse_args()

    base_dir = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(base_dir))
    _env_defaults()
    work = Path(tempfile.mkdtemp(prefix="pspp-fanout-"))
    os.environ["BENCH_EMAIL_DIR"] = str(work / "mail")
    os.environ["SMS_FILE_PATH"] = str(work / "sms")

    _recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from redis import Redis

    from eaccount.models import NoticePreference, Person
    from eaccount.tests.factories import personal_code_for
    from kernel.parties import party_key
    from notifications import services, topics
    from notifications.models import Notification
    from portal.celery import app

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"database {connection.settings_dict['NAME']} migrated in {time.monotonic() - started:.1f} s")

    # --- the people ----------------------------------------------------------------------------------------
    started = time.monotonic()
    batch = 5000
    for low in range(0, args.persons, batch):
        persons = Person.objects.bulk_create(
            [
                Person(
                    personal_code=personal_code_for(900_000 + n),
                    first_name="Anna",
                    last_name=f"Bērziņa {n}",
                    email=f"fanout-{n}@example.lv",
                    phone=f"+3712{n:07d}",
                )
                for n in range(low, min(low + batch, args.persons))
            ]
        )
        NoticePreference.objects.bulk_create(
            [NoticePreference(person=person, kind="case_status", email=True, sms=True) for person in persons]
        )
    print(f"{args.persons:,} persons with e-mail and SMS chosen in {time.monotonic() - started:.1f} s")

    # --- the worker ----------------------------------------------------------------------------------------
    queue = f"fanout-{uuid.uuid4().hex[:10]}"
    name = f"{queue}@bench"
    log = open(work / "worker.log", "w")  # noqa: SIM115 - closed at the end
    env = os.environ | {"NOTIFICATIONS_QUEUE": queue}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork"]
        + [f"--concurrency={args.concurrency}", "-Q", queue, "-n", name]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=base_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peak = {"total": 0, "largest": 0, "samples": 0}
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            total, largest = _tree_rss_kib(worker.pid)
            peak["total"], peak["largest"] = max(peak["total"], total), max(peak["largest"], largest)
            peak["samples"] += 1
            sampling.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    redis = Redis.from_url(os.environ["CELERY_BROKER_URL"])
    failed = False
    try:
        ready_by = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if worker.poll() is not None or time.monotonic() > ready_by:
                raise SystemExit(f"the worker did not start: {(work / 'worker.log').read_text()[-2000:]}")
        idle_total, idle_largest = _tree_rss_kib(worker.pid)
        print(
            f"worker ready ({args.concurrency} pool processes): {idle_total / 1024:.0f} MiB resident at rest"
        )

        # --- the fan-out: records and hand-off (the worker delivers meanwhile) -----------------------------
        started = time.monotonic()
        ids_queryset = Person.objects.order_by("pk").values_list("pk", flat=True)
        handed = 0
        if args.fanout == "bulk":
            spec = topics.topic_get("case_status_changed")
            context = {"number": "1011-0000001", "service": "Bērna kopšanas pabalsts", "status": "Reģistrēts"}
            context["note"] = ""
            rendered = spec.render(context, "lv")
            resolved = spec.resolve(context, "lv")
            for low in range(0, args.persons, batch):
                rows = []
                for person in Person.objects.order_by("pk")[low : low + batch].only("pk", "email", "phone"):
                    key = party_key(person)
                    common = {
                        "dedupe_key": f"fanout:{person.pk}",
                        "topic": spec.code,
                        "kind": spec.kind,
                        "party_key": key,
                        "recipient_key": key,
                        "recipient_person_id": person.pk,
                        "basis": "self",
                        "language": "lv",
                        "sender_label": "Latvija.gov.lv",
                        "context": resolved,
                        "subject": rendered.subject,
                    }
                    rows.append(Notification(**common, channel="email", to=person.email, body=rendered.body))
                    rows.append(Notification(**common, channel="sms", to=person.phone, body=rendered.sms))
                created = Notification.objects.bulk_create(rows)
                handed += services.hand_off(ids=[row.pk for row in created], queue=queue)
        else:
            context = {"number": "1011-0000001", "service": "Bērna kopšanas pabalsts", "status": "Reģistrēts"}
            context["note"] = ""
            person_ids = list(ids_queryset)
            for low in range(0, len(person_ids), 500):
                with transaction.atomic():
                    for person in Person.objects.filter(pk__in=person_ids[low : low + 500]):
                        services.notify(
                            party=person,
                            topic="case_status_changed",
                            context=context,
                            dedupe_key=f"fanout:{person.pk}",
                        )
            handed = Notification.objects.exclude(channel="e_account").count()
        fanned = time.monotonic() - started
        deliveries = Notification.objects.exclude(channel="e_account").count()
        print(
            f"fan-out ({args.fanout}): {deliveries:,} e-mails and SMS recorded and {handed:,} handed to the "
            f"broker in {fanned:.1f} s ({deliveries / fanned:,.0f}/s"
            + (f", {args.persons / fanned:,.0f} notify() calls/s" if args.fanout == "notify" else "")
            + ")"
        )

        # --- until every one is delivered -----------------------------------------------------------------
        pending = Notification.objects.exclude(channel="e_account").filter(
            state__in=("created", "temporary_failure")
        )
        deadline = started + args.timeout
        left = pending.count()
        last_print = time.monotonic()
        while left and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(1)
            left = pending.count()
            if time.monotonic() - last_print >= 30:
                last_print = time.monotonic()
                done = deliveries - left
                print(
                    f"  {time.monotonic() - started:6.0f} s: {done:,} delivered ({done / (last_print - started):,.0f}/s)"
                )
        finished = time.monotonic() - started
        states = dict(
            Notification.objects.exclude(channel="e_account")
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        delivered = states.get("delivered", 0)
        # the file backend writes each message and a line of 79 dashes; messages sent within the same
        # second by backends at the same address share a file, so count the messages, not the files
        separator = b"\n" + b"-" * 79 + b"\n"
        mail_files = sum(path.read_bytes().count(separator) for path in (work / "mail").glob("*"))
        sms_files = len(list((work / "sms").glob("*"))) if (work / "sms").exists() else 0
        print(
            f"delivered {delivered:,} of {deliveries:,} in {finished:.1f} s from the first hand-off: "
            f"{delivered / finished:,.0f} messages/s through one worker ({args.concurrency} processes); "
            f"states {states}; in the files: {mail_files:,} e-mails, {sms_files:,} SMS"
        )
        print(
            f"worker resident memory: peak {peak['total'] / 1024:.0f} MiB for the worker and its pool "
            f"(largest process {peak['largest'] / 1024:.0f} MiB; {peak['samples']} samples; "
            f"{idle_total / 1024:.0f} MiB at rest)"
        )
        if left or mail_files + sms_files != delivered:
            failed = True
            print(f"NOT ALL DELIVERED: {left:,} left; worker log {work / 'worker.log'}")
            sys.exit(1)
    finally:
        sampling.set()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        leftovers = list(redis.scan_iter(match=f"*{queue}*"))
        if leftovers:
            redis.delete(*leftovers)
        redis.close()
        log.close()
        if not failed:
            shutil.rmtree(work, ignore_errors=True)  # the files were counted


if __name__ == "__main__":
    main()
