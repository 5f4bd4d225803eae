"""PostgreSQL only: the unaccent and pg_trgm extensions, the `pspp_lv` text search configuration
(unaccent, then simple: no Latvian stemmer ships with PostgreSQL, so endings are handled by prefix
queries built in catalogue.search) and the GIN indexes for full-text and trigram search.
On any other database (SQLite by default) this migration does nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'pspp_lv') THEN
            CREATE TEXT SEARCH CONFIGURATION pspp_lv (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION pspp_lv
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END
    $$;
    """,
    "CREATE INDEX IF NOT EXISTS catalogue_service_search_vector_gin "
    "ON catalogue_service USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalogue_service_search_text_trgm "
    "ON catalogue_service USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_service_search_text_trgm",
    "DROP INDEX IF EXISTS catalogue_service_search_vector_gin",
    # the configuration and extensions stay: other objects may use them
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_search_and_pending")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
