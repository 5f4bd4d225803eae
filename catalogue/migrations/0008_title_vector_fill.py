"""PostgreSQL only: fill the title vector of services that existed before it."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE catalogue_service SET title_vector = setweight(to_tsvector('pspp_lv', "
        "coalesce(code, '') || ' ' || coalesce(title_lv, '') || ' ' || coalesce(title_en, '')), 'A') "
        "WHERE title_vector IS NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_title_vector")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
