"""Lists sorted in Latvian alphabetical order (Č after C, Ģ after G, Ž after Z) on both backends.

PostgreSQL sorts with ICU's collation `lv-x-icu`; SQLite with the collation of the same name that
kernel registers on every connection (kernel.collation.sort_key). Both follow ICU's Latvian: the
letters č ģ ķ ļ ņ š ž are letters of their own after c g k l n s z, while ā ē ī ū differ from a e i u
only when the words are otherwise equal (so Ābele comes before Auce, as in PostgreSQL).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

from catalogue.models import Agency, LifeEvent
from catalogue.tests.factories import AgencyFactory, CategoryFactory, LifeEventFactory, ServiceFactory
from kernel.collation import LATVIAN, latvian, sort_key

NAMES = ["Zaķis", "Ģirts", "Gatis", "Čaka", "Cēsis", "Ābele", "Auce"]
LATVIAN_ORDER = ["Ābele", "Auce", "Cēsis", "Čaka", "Gatis", "Ģirts", "Zaķis"]

# what ICU's `lv` does with case, accents, y, the old ŗ, digits and punctuation (checked against
# PostgreSQL: test_sort_key_agrees_with_the_database compares them on the backend at hand)
HARDER = [
    "abele",
    "Abele",
    "Ābele",
    "Auce",
    "a b",
    "a-b",
    "a1",
    "ab",
    "Ivars",
    "ia",
    "īa",
    "ya",
    "Yvo",
    "Jānis",
    "Kuldīga",
    "Ķekava",
    "Lūznava",
    "Ļaudona",
    "Nīca",
    "Ņ",
    "Riga",
    "rīga",
    "Rīga",
    "RĪGA",
    "Ŗīga",
    "Sigulda",
    "Šķēde",
    "Zilupe",
    "zz",
    "ž",
    "Žīgure",
    "1a",
    "_x",
]


def _db_order(names: list[str]) -> list[str]:
    for number, name in enumerate(names):
        LifeEvent.objects.create(code=f"coll-{number}", name_lv=name)
    qs = LifeEvent.objects.filter(code__startswith="coll-").order_by(latvian("name_lv"), "code")
    return list(qs.values_list("name_lv", flat=True))


@pytest.mark.django_db
def test_the_database_sorts_the_latvian_way():
    assert _db_order(NAMES) == LATVIAN_ORDER
    # and the reverse, with .desc()
    qs = LifeEvent.objects.filter(code__startswith="coll-").order_by(latvian("name_lv").desc())
    assert list(qs.values_list("name_lv", flat=True)) == LATVIAN_ORDER[::-1]


def test_python_sort_key_sorts_the_latvian_way():
    assert sorted(NAMES, key=sort_key) == LATVIAN_ORDER
    assert sorted(["Ģ", "Z", "G", "g", "ģ"], key=sort_key) == ["g", "G", "ģ", "Ģ", "Z"]


@pytest.mark.django_db
def test_sort_key_agrees_with_the_database():
    """The SQLite collation (sort_key) orders as PostgreSQL's ICU collation does."""
    assert _db_order(HARDER) == sorted(HARDER, key=sort_key)


@pytest.mark.django_db
def test_the_collation_exists_on_this_backend():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT collname FROM pg_collation WHERE collname = %s", [LATVIAN])
            assert cursor.fetchone() == (LATVIAN,)
        else:
            cursor.execute(f'SELECT %s < %s COLLATE "{LATVIAN}"', ["Ģirts", "Zaķis"])
            assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_a_new_sqlite_connection_has_the_collation():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has the collation built in")
    connection.close()  # the next query opens a new connection (connection_created)
    Agency.objects.create(code="ZZ", name_lv="Žagari")
    Agency.objects.create(code="AA", name_lv="Zaube")
    assert list(Agency.objects.order_by(latvian("name_lv")).values_list("code", flat=True))[:2] == [
        "AA",
        "ZZ",
    ]


@pytest.mark.django_db
def test_catalogue_lists_are_in_latvian_order(client):
    """The catalogue's front page (life events) and a category's service list, in Latvian."""
    for number, name in enumerate(NAMES):
        LifeEventFactory(code=f"event-{number}", name_lv=name, name_en="")
    category = CategoryFactory(slug="lv-order", name_lv="Kārtība")
    agency = AgencyFactory(code="ORD")
    for number, name in enumerate(NAMES):
        ServiceFactory(code=f"{61000 + number}", title_lv=name, title_en="", agency=agency, category=category)

    index = client.get("/services/").content.decode()
    life_events = re.findall(r'href="/services/life-event/event-\d/">([^<]+)</a>', index)
    assert life_events == LATVIAN_ORDER

    page = client.get("/services/category/lv-order/").content.decode()
    titles = re.findall(r'<h3><a href="/services/6100\d/">([^<]+)</a></h3>', page)
    assert titles == LATVIAN_ORDER
