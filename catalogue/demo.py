"""Loads the project's own catalogue fixture (agencies, centres, channels, life events, categories,
services with their e-forms).

Safe to run again: agencies, centres, channels, life events and categories are matched by their
code (or slug) and updated in place; a service is created (and published as version 1) only when
its code is missing, so a later load never undoes what an agency changed in its own entries — and
an existing database keeps its services as they are even when the fixture changes them.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .constants import PaymentMode, ServiceState
from .eforms import eform_definition_validate
from .models import Agency, Category, Channel, LifeEvent, Service, ServiceCentre, ServiceChannel
from .services import service_search_refresh, service_version_create

FIXTURE = Path(__file__).parent / "fixtures" / "pilot_catalogue.json"


def _bilingual(row: dict) -> dict:
    return {"name_lv": row["name_lv"], "name_en": row.get("name_en", "")}


def _load_categories(rows: list[dict]) -> dict[str, Category]:
    categories = {}
    for row in rows:
        top, _ = Category.objects.update_or_create(
            slug=row["slug"], defaults={**_bilingual(row), "parent": None}
        )
        categories[top.slug] = top
        for child_row in row.get("children", []):
            child, _ = Category.objects.update_or_create(
                slug=child_row["slug"], defaults={**_bilingual(child_row), "parent": top}
            )
            categories[child.slug] = child
    return categories


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
    categories = _load_categories(data.get("categories", []))
    centres = list(ServiceCentre.objects.all())
    service_ids = []
    # once a pilot service exists its agency keeps it: loading again must not undo their edits
    existing = set(
        Service.objects.filter(code__in=[row["code"] for row in data["services"]]).values_list(
            "code", flat=True
        )
    )
    for row in data["services"]:
        if row["code"] in existing:
            continue
        fee = row.get("fee_eur")
        facets = row.get("facets", {})
        service = Service.objects.create(
            code=row["code"],
            title_lv=row["title_lv"],
            title_en=row.get("title_en", ""),
            description_lv=row.get("description_lv", ""),
            description_en=row.get("description_en", ""),
            agency=agencies[row["agency"]],
            category=categories.get(row.get("category", "")),
            audience=row["audience"],
            fee_eur=Decimal(fee) if fee else None,
            payment_mode=row.get("payment_mode", PaymentMode.NONE),
            processing_days=row["processing_days"],
            authorised_filing_allowed=row.get("authorised_filing", False),
            one_open_case_per_subject=row.get("one_open_case_per_subject", False),
            minor_may_be_client=row.get("minor_may_be_client", False),
            municipality_specific=row.get("municipality_specific", False),
            internal=row.get("internal", False),
            legal_basis=row.get("legal_basis", []),
            facet_multichannel=facets.get("multichannel", len(row["channels"]) > 1),
            facet_multichannel_note=facets.get("multichannel_note", ""),
            facet_territorial=facets.get("territorial", True),
            facet_territorial_note=facets.get("territorial_note", ""),
            facet_all_groups=facets.get("all_groups", True),
            facet_all_groups_note=facets.get("all_groups_note", ""),
            facet_cross_border=facets.get("cross_border", False),
            facet_cross_border_note=facets.get("cross_border_note", ""),
            eform=eform_definition_validate(row.get("eform", [])),
            state=ServiceState.PUBLISHED,
        )
        service.life_events.set([life_events[code] for code in row.get("life_events", [])])
        for code in row["channels"]:
            service_channel, _ = ServiceChannel.objects.get_or_create(service=service, channel=channels[code])
            if code == "vpvkac":
                service_channel.centres.set(centres)
        service_ids.append(service.pk)
        service_version_create(service=service)  # version 1
    service_search_refresh(service_ids=service_ids)
    return {
        "agencies": len(agencies),
        "channels": len(channels),
        "life_events": len(life_events),
        "categories": len(categories),
        "services": len(data["services"]),
    }
