"""Loads the project's own catalogue fixture (agencies, centres, channels, life events, services).

Idempotent: every row is matched by its code and updated in place.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .constants import PaymentMode, ServiceState
from .eforms import eform_definition_validate
from .models import Agency, Channel, LifeEvent, Service, ServiceCentre, ServiceChannel
from .services import service_version_create

FIXTURE = Path(__file__).parent / "fixtures" / "pilot_catalogue.json"


def _bilingual(row: dict) -> dict:
    return {"name_lv": row["name_lv"], "name_en": row.get("name_en", "")}


@transaction.atomic
def load_pilot_catalogue(path: Path = FIXTURE) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    agencies = {}
    for row in data["agencies"]:
        agencies[row["code"]], _ = Agency.objects.update_or_create(
            code=row["code"], defaults={**_bilingual(row), "kind": row["kind"]}
        )
    for row in data["service_centres"]:
        ServiceCentre.objects.update_or_create(
            code=row["code"],
            defaults={**_bilingual(row), "municipality": agencies[row["municipality"]]},
        )
    channels = {}
    for row in data["channels"]:
        channels[row["code"]], _ = Channel.objects.update_or_create(
            code=row["code"], defaults=_bilingual(row)
        )
    life_events = {}
    for row in data["life_events"]:
        life_events[row["code"]], _ = LifeEvent.objects.update_or_create(
            code=row["code"],
            defaults={
                **_bilingual(row),
                "reminder_days_before": row.get("reminder_days_before", []),
            },
        )
    centres = list(ServiceCentre.objects.all())
    for row in data["services"]:
        fee = row.get("fee_eur")
        service, _ = Service.objects.update_or_create(
            code=row["code"],
            defaults={
                "title_lv": row["title_lv"],
                "title_en": row.get("title_en", ""),
                "description_lv": row.get("description_lv", ""),
                "description_en": row.get("description_en", ""),
                "agency": agencies[row["agency"]],
                "audience": row["audience"],
                "fee_eur": Decimal(fee) if fee else None,
                "payment_mode": row.get("payment_mode", PaymentMode.NONE),
                "processing_days": row["processing_days"],
                "authorised_filing_allowed": row.get("authorised_filing", False),
                "municipality_specific": row.get("municipality_specific", False),
                "internal": row.get("internal", False),
                "eform": eform_definition_validate(row.get("eform", [])),
                "state": ServiceState.PUBLISHED,
            },
        )
        service.life_events.set([life_events[code] for code in row.get("life_events", [])])
        for code in row["channels"]:
            service_channel, _ = ServiceChannel.objects.get_or_create(service=service, channel=channels[code])
            if code == "vpvkac":
                service_channel.centres.set(centres)
        # the first load publishes version 1; a later load adds a version only if the fixture changed
        service_version_create(service=service)
    return {
        "agencies": len(agencies),
        "channels": len(channels),
        "life_events": len(life_events),
        "services": len(data["services"]),
    }
