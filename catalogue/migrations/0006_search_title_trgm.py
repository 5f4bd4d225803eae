"""A trigram index on the folded titles (PostgreSQL only: the typo retry of the search), and the
search columns filled for services that existed before them (historical models and SQL only, so
this stays valid whatever later migrations add).

The folding is a frozen copy of catalogue.search.fold as it was when this migration was written:
a migration must not import app code that may change under it."""

import re
import unicodedata

from django.db import migrations

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _fold(text):
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def search_text_for(parts):
    return " ".join(f for f in (_fold(p or "") for p in parts) if f)

FILL_VECTOR = (
    "UPDATE catalogue_service SET search_vector = "
    "setweight(to_tsvector('pspp_lv', coalesce(code, '') || ' ' || coalesce(title_lv, '') || ' ' "
    "|| coalesce(title_en, '')), 'A') || "
    "setweight(to_tsvector('pspp_lv', coalesce(description_lv, '') || ' ' || coalesce(description_en, '')), 'B') || "
    "setweight(to_tsvector('pspp_lv', coalesce(search_text, '')), 'C') "
    "WHERE search_vector IS NULL"
)


def forward(apps, schema_editor):
    Service = apps.get_model("catalogue", "Service")
    for service in Service.objects.filter(search_title="").select_related("agency").iterator():
        service.search_title = search_text_for([service.title_lv, service.title_en])
        if not service.search_text:
            service.search_text = search_text_for(
                [
                    service.code,
                    service.title_lv,
                    service.title_en,
                    service.agency.code,
                    service.agency.name_lv,
                    service.agency.name_en,
                ]
            )
        service.save(update_fields=["search_title", "search_text"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_VECTOR)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalogue_service_search_title_trgm "
            "ON catalogue_service USING gin (search_title gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalogue_service_search_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_title")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
