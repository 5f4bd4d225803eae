#!/usr/bin/env python
"""Generate benchmark services for the catalogue on PostgreSQL (10,000 by default).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_cat .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_cat .venv/bin/python bench/catalogue_generate.py

Loads the pilot catalogue first (idempotent), then replaces earlier generated services (codes from
300000 up) with --count new published ones: Latvian-like titles and descriptions drawn from word
lists (so many share words with the pilot services: "pabalsts", "izziņa", "bērna"…), a random
agency, sub-category, 0–2 life events, 1–4 channels, some with an e-form, version 1 each, and their
search text and full-text vectors. Refuses SQLite unless --allow-sqlite.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_cat")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from catalogue.demo import load_pilot_catalogue  # noqa: E402
from catalogue.models import (  # noqa: E402
    Agency,
    Category,
    Channel,
    LifeEvent,
    Service,
    ServiceChannel,
    ServiceVersion,
)
from catalogue.services import service_search_refresh, service_snapshot  # noqa: E402

FIRST_CODE = 300000

NOUNS = [
    "pabalsts",
    "izziņa",
    "atļauja",
    "reģistrācija",
    "deklarācija",
    "apliecība",
    "licence",
    "kompensācija",
    "pieteikums",
    "sertifikāts",
    "atbalsts",
    "maksājums",
    "pārreģistrācija",
    "anulēšana",
    "izsniegšana",
]
ATTRIBUTES = [
    "bērna",
    "ģimenes",
    "pensijas",
    "invaliditātes",
    "transportlīdzekļa",
    "nekustamā īpašuma",
    "zvejas",
    "medību",
    "būvniecības",
    "izglītības",
    "veselības",
    "uzņēmuma",
    "lauksaimniecības",
    "dzīvnieku",
    "ūdens lietošanas",
    "meža",
    "tirdzniecības",
    "sociālās palīdzības",
    "darba",
    "nodokļu",
    "kultūras",
    "sporta",
    "jauniešu",
    "senioru",
    "studentu",
    "vides",
    "enerģijas",
    "mājokļa",
    "ceļu",
    "ostas",
]
CONTEXTS = [
    "pašvaldībā",
    "valsts",
    "vienreizējs",
    "ikmēneša",
    "ārkārtas",
    "elektroniski",
    "pagaidu",
    "pastāvīgs",
    "atkārtots",
    "papildu",
    "reģionālais",
    "starptautiskais",
]
SENTENCES = [
    "Pakalpojumu var pieprasīt fiziska persona, kura atbilst normatīvajos aktos noteiktajām prasībām.",
    "Iesniegumu izskata desmit darba dienu laikā no tā saņemšanas dienas.",
    "Lēmumu paziņo klienta e-kontā vai pa pastu.",
    "Pakalpojums ir pieejams arī valsts un pašvaldības vienotajos klientu apkalpošanas centros.",
    "Maksa par pakalpojumu jāsamaksā pirms pakalpojuma saņemšanas.",
    "Nepieciešamības gadījumā iestāde var pieprasīt papildu dokumentus.",
]
EFORM = [
    {
        "name": "applicant_phone",
        "type": "phone",
        "label_lv": "Tālrunis",
        "label_en": "Phone",
        "required": True,
        "help_lv": "",
        "help_en": "",
    },
    {
        "name": "comment",
        "type": "long_text",
        "label_lv": "Komentārs",
        "label_en": "Comment",
        "required": False,
        "help_lv": "",
        "help_en": "",
        "max_length": 2000,
    },
]


def title_for(rng: random.Random) -> str:
    title = f"{rng.choice(ATTRIBUTES).capitalize()} {rng.choice(NOUNS)}"
    if rng.random() < 0.5:
        title += f" ({rng.choice(CONTEXTS)})"
    return title


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--allow-sqlite", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql" and not args.allow_sqlite:
        sys.exit("Refusing: set DATABASE_URL to PostgreSQL (or pass --allow-sqlite).")
    rng = random.Random(args.seed)
    started = time.perf_counter()
    load_pilot_catalogue()
    agencies = list(Agency.objects.filter(kind="state"))
    categories = list(Category.objects.filter(parent__isnull=False))
    events = list(LifeEvent.objects.all())
    channels = {c.code: c for c in Channel.objects.all()}
    with transaction.atomic():
        old = Service.objects.filter(code__gte=str(FIRST_CODE), code__lt="999999")
        ServiceVersion.objects.filter(service__in=old).delete()
        deleted, _ = old.delete()
        services = [
            Service(
                code=str(FIRST_CODE + i),
                state="published",
                title_lv=title_for(rng),
                title_en=f"Generated service {i}",
                description_lv=" ".join(rng.sample(SENTENCES, 3)),
                agency=rng.choice(agencies),
                category=rng.choice(categories),
                audience="organisation" if rng.random() < 0.15 else "person",
                processing_days=rng.choice([1, 3, 5, 10, 30]),
                eform=EFORM if rng.random() < 0.4 else [],
                version=1,
                internal=rng.random() < 0.03,
            )
            for i in range(args.count)
        ]
        Service.objects.bulk_create(services, batch_size=1000)
        services = list(Service.objects.filter(code__gte=str(FIRST_CODE)).order_by("code"))
        links = []
        event_links = []
        Through = Service.life_events.through
        for service in services:
            codes = ["e_service"] if service.eform else []
            codes += rng.sample(["vpvkac", "agency", "phone", "post", "email"], rng.randint(1, 3))
            links += [ServiceChannel(service=service, channel=channels[c]) for c in codes]
            for event in rng.sample(events, rng.randint(0, 2)):
                event_links.append(Through(service_id=service.pk, lifeevent_id=event.pk))
        ServiceChannel.objects.bulk_create(links, batch_size=2000)
        Through.objects.bulk_create(event_links, batch_size=2000)
        versions = []
        for service in Service.objects.filter(pk__in=[s.pk for s in services]).select_related(
            "agency", "category"
        ):
            snapshot = service_snapshot(service=service) if len(versions) < 50 else {"code": service.code}
            versions.append(ServiceVersion(service=service, number=1, snapshot=snapshot, eform=service.eform))
        ServiceVersion.objects.bulk_create(versions, batch_size=2000)
        ids = [s.pk for s in services]
        for start in range(0, len(ids), 2000):
            service_search_refresh(service_ids=ids[start : start + 2000])
    with connection.cursor() as cursor:
        # the search refresh rewrote every row twice: compact the table as a settled database would be
        cursor.execute("VACUUM FULL ANALYZE catalogue_service")
    print(
        f"generated {len(services)} services (replaced {deleted} rows) in {time.perf_counter() - started:.1f} s; "
        f"{Service.objects.filter(state='published').count()} published services in all"
    )


if __name__ == "__main__":
    main()
