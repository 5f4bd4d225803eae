"""Fixed query counts: the article page whatever the number of versions and notes, the search page
whatever the number of articles, the catalogue's service page whatever the FAQ."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowledge_base import services
from knowledge_base.models import ArticleVersion

from .factories import article_make


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()


def _queries(client, url) -> int:
    client.get(url)  # warm up: sessions, content types, role facts in the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _versions(article, count):
    latest = article.versions.order_by("-number").first()
    ArticleVersion.objects.bulk_create(
        ArticleVersion(
            article=article,
            number=latest.number + n,
            snapshot=latest.snapshot | {"title_lv": f"Versija {n}"},
            changes=["title_lv"],
            author_label="Edgars Zariņš",
            at=timezone.now(),
        )
        for n in range(1, count + 1)
    )
    article.__class__.objects.filter(pk=article.pk).update(version=latest.number + count)


@pytest.mark.parametrize("who", ["centre_specialist", "vsaa_staff"])
def test_the_article_page_with_200_versions_runs_the_same_queries_as_with_one(
    client, world, actor_of, django_assert_num_queries, who
):
    one = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), services=[world.benefit])
    many = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), services=[world.benefit])
    _versions(many, 199)
    for article in (one, many):
        services.centre_note_save(actor=actor_of("centre_specialist"), article=article, text="Piezīme")
    services.centre_note_save(actor=actor_of("other_centre_specialist"), article=many, text="Otra")
    _login(client, world.users[who])
    expected = _queries(client, one.get_absolute_url())

    with django_assert_num_queries(expected):
        response = client.get(many.get_absolute_url())

    assert response.status_code == 200 and response.text.count("/versions/") == 200


@pytest.mark.parametrize(("who", "expected"), [("centre_specialist", 7), ("vsaa_staff", 7), ("citizen", 4)])
def test_the_article_page_query_count_is_small(client, world, actor_of, who, expected):
    article = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    for n, useful in enumerate([True, False, None]):
        services.article_use_record(
            actor=actor_of("centre_specialist"), article=article, useful=useful, consultation_key=f"c:{n}"
        )
    _login(client, world.users[who])

    # the user (session and role facts cached), the article, services, life events; officials also
    # centre notes, versions and the uses (one aggregate: used, useful)
    assert _queries(client, article.get_absolute_url()) == expected


@pytest.mark.parametrize(
    "url", ["/knowledge/", "/knowledge/?q=raksts", "/knowledge/?q=raksts&agency=VSAA&topic=family"]
)
def test_the_search_page_runs_a_fixed_number_of_queries(
    client, world, actor_of, django_assert_num_queries, url
):
    editor = actor_of("vsaa_staff")
    for n in range(3):
        article_make(agency=world.vsaa, actor=editor, title_lv=f"Raksts {n}", topic=world.family)
    _login(client, world.users["centre_specialist"])
    expected = _queries(client, url)
    for n in range(3, 25):
        article_make(agency=world.vsaa, actor=editor, title_lv=f"Raksts {n}", topic=world.family)

    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_catalogue_service_page_runs_the_same_queries_with_and_without_a_faq(
    client, world, actor_of, django_assert_num_queries
):
    expected = _queries(client, "/services/1031/")
    for n in range(3):
        article_make(
            agency=world.vsaa, actor=actor_of("vsaa_staff"), title_lv=f"BUJ {n}", services=[world.benefit]
        )

    client.get("/services/1011/")  # warm, as _queries did for 1031 (the day's visit counter row exists)
    with django_assert_num_queries(expected):
        response = client.get("/services/1011/")

    assert 'data-testid="service-faq"' in response.text
