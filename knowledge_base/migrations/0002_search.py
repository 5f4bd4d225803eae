"""PostgreSQL only: the unaccent and pg_trgm extensions (present already when catalogue's 0004 ran;
created here too so that this app stands on its own), and the GIN indexes of article search: the
full-text vector and the folded titles (trigram retry for typos). The `pspp_lv` configuration
(unaccent + simple) is catalogue's (its 0004). On SQLite this migration does nothing.

Reversing it drops the indexes only: the extensions are shared with the catalogue and stay.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class _KeptUnaccent(UnaccentExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class _KeptTrigram(TrigramExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


FORWARD = [
    "CREATE INDEX IF NOT EXISTS kb_article_search_vector_gin ON knowledge_base_article USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS kb_article_search_title_trgm "
    "ON knowledge_base_article USING gin (search_title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS kb_article_search_title_trgm",
    "DROP INDEX IF EXISTS kb_article_search_vector_gin",
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
    dependencies = [
        ("knowledge_base", "0001_initial"),
        ("catalogue", "0004_postgres_search"),
    ]

    operations = [
        _KeptUnaccent(),
        _KeptTrigram(),
        migrations.RunPython(forward, backward, elidable=False),
    ]
