"""Messages and documents say which catalogue service they are about (blank = a general one), so a
delegate of some services sees only those services' messages and documents.

Existing rows are filled from their link when it points to a case page: a case number is the service
code and a sequence (`1011-0000001`), and the citizen's case page is `/cases/<number>/`. Done in
Python, batch by batch, so it runs the same on SQLite and PostgreSQL.
"""

import re
from collections import defaultdict
from urllib.parse import urlsplit

from django.db import migrations, models

# requests_registry/urls.py: NUMBER = [0-9]{4,6}-[0-9]{7}, mounted at "cases/" in portal/urls.py
CASE_PAGE = re.compile(r"^/cases/(?P<code>[0-9]{4,6})-[0-9]{7}/")
BATCH = 1000


def service_code_from_link(link_url: str) -> str:
    """The service code of the case a link points to, or "" (not a case page)."""
    try:
        path = urlsplit(link_url or "").path
    except ValueError:
        return ""
    match = CASE_PAGE.match(path)
    return match["code"] if match else ""


def _fill(model) -> None:
    """Keyset batches, each read in full before it is written (SQLite does not isolate a cursor
    from writes on the same connection)."""
    candidates = model.objects.filter(service_code="", link_url__contains="/cases/").order_by("pk")
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk).values_list("pk", "link_url")[:BATCH])
        if not batch:
            return
        last_pk = batch[-1][0]
        by_code: dict[str, list[int]] = defaultdict(list)
        for pk, link_url in batch:
            code = service_code_from_link(link_url)
            if code:
                by_code[code].append(pk)
        for code, pks in by_code.items():
            model.objects.filter(pk__in=pks).update(service_code=code)


def fill_service_codes(apps, schema_editor):
    for name in ("Message", "Document"):
        _fill(apps.get_model("eaccount", name))


class Migration(migrations.Migration):
    dependencies = [
        ("eaccount", "0002_message_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="service_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="service code"),
        ),
        migrations.AddField(
            model_name="message",
            name="service_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="service code"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["person", "service_code", "-created_at"], name="eaccount_doc_person_svc_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["organisation", "service_code", "-created_at"], name="eaccount_doc_org_svc_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["person", "service_code", "-created_at"], name="eaccount_msg_person_svc_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["organisation", "service_code", "-created_at"], name="eaccount_msg_org_svc_idx"
            ),
        ),
        migrations.RunPython(fill_service_codes, migrations.RunPython.noop, elidable=True),
    ]
