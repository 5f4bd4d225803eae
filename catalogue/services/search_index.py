"""Keeping a service findable: its stored search text and, on PostgreSQL, its full-text vectors.

The words are folded by catalogue.search; the queries that read them are in catalogue.selectors.search.
"""

from __future__ import annotations

from django.db import connection

from ..models import Service
from ..search import PG_SEARCH_CONFIG, search_text_for


def service_search_refresh(*, service_ids) -> None:
    """Recompute the stored search text (and on PostgreSQL the full-text vector) of these services."""
    from django.contrib.postgres.search import SearchVector

    ids = list(service_ids)
    if not ids:
        return
    services = (
        Service.objects.filter(pk__in=ids)
        .select_related("agency", "category", "category__parent")
        .prefetch_related("life_events")
        .only(
            "pk",
            "code",
            "title_lv",
            "title_en",
            "description_lv",
            "description_en",
            "agency__code",
            "agency__name_lv",
            "agency__name_en",
            "category__name_lv",
            "category__name_en",
            "category__parent__name_lv",
            "category__parent__name_en",
        )
    )
    changed = []
    for service in services:
        parts = [
            service.code,
            service.title_lv,
            service.title_en,
            service.agency.code,
            service.agency.name_lv,
            service.agency.name_en,
        ]
        if service.category_id:
            parts += [service.category.name_lv, service.category.name_en]
            if service.category.parent_id:
                parts += [service.category.parent.name_lv, service.category.parent.name_en]
        for event in service.life_events.all():
            parts += [event.name_lv, event.name_en]
        # no descriptions here: the text stays short for the trigram index and the SQLite match;
        # PostgreSQL's full-text vector adds the descriptions itself (weight B)
        service.search_text = search_text_for(parts)
        service.search_title = search_text_for([service.title_lv, service.title_en])
        changed.append(service)
    Service.objects.bulk_update(changed, ["search_text", "search_title"], batch_size=500)
    if connection.vendor == "postgresql":
        Service.objects.filter(pk__in=ids).update(
            search_vector=(
                SearchVector("code", "title_lv", "title_en", weight="A", config=PG_SEARCH_CONFIG)
                + SearchVector("description_lv", "description_en", weight="B", config=PG_SEARCH_CONFIG)
                + SearchVector("search_text", weight="C", config=PG_SEARCH_CONFIG)
            ),
            title_vector=SearchVector("code", "title_lv", "title_en", weight="A", config=PG_SEARCH_CONFIG),
        )
