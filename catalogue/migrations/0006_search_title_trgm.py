"""PostgreSQL only: a trigram index on the folded titles (the typo retry of the search), and the
search columns filled for services that existed before them. Nothing on SQLite but the refill."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalogue_service_search_title_trgm "
            "ON catalogue_service USING gin (search_title gin_trgm_ops)"
        )
    from catalogue.services import service_search_refresh

    Service = apps.get_model("catalogue", "Service")
    ids = list(Service.objects.filter(search_title="").values_list("pk", flat=True))
    # the live function: it only reads and writes columns that exist at this migration
    for start in range(0, len(ids), 1000):
        service_search_refresh(service_ids=ids[start : start + 1000])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalogue_service_search_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_title")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
