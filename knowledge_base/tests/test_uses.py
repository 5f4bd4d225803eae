"""Was it useful: a specialist records the article used in a consultation (once per consultation key,
whatever the retries), and the article page shows officials how often it was used and found useful."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from audit.models import AuditEvent
from knowledge_base import selectors, services
from knowledge_base.constants import ArticleAudience
from knowledge_base.exceptions import ArticleUseInvalid, ArticleUseNotAllowed
from knowledge_base.models import ArticleUse

from .factories import article_make


@pytest.fixture
def article(world, actor_of):
    return article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), title_lv="Bērna pabalsts")


def test_a_specialist_records_the_article_used_in_a_consultation(world, actor_of, article):
    use = services.article_use_record(
        actor=actor_of("centre_specialist"), article=article, useful=True, consultation_key="consultation:1"
    )

    assert use.article == article and use.useful is True
    assert use.used_by == world.users["centre_specialist"] and use.consultation_key == "consultation:1"
    assert AuditEvent.objects.filter(action="kb.article_use_record", object_id=str(article.pk)).count() == 1


def test_the_same_consultation_key_again_changes_nothing(world, actor_of, article):
    first = services.article_use_record(
        actor=actor_of("centre_specialist"), article=article, useful=True, consultation_key="consultation:1"
    )

    again = services.article_use_record(
        actor=actor_of("centre_admin"), article=article, useful=False, consultation_key="consultation:1"
    )

    assert again.pk == first.pk and again.useful is True and again.used_by == world.users["centre_specialist"]
    assert ArticleUse.objects.count() == 1
    assert AuditEvent.objects.filter(action="kb.article_use_record").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_only_officials_record_a_use(world, actor_of, article, who):
    with pytest.raises(ArticleUseNotAllowed):
        services.article_use_record(
            actor=actor_of(who), article=article, useful=True, consultation_key="consultation:1"
        )

    assert not ArticleUse.objects.exists()


def test_an_official_cannot_record_an_article_they_may_not_read(world, actor_of):
    holders = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), audience=ArticleAudience.HOLDERS)

    with pytest.raises(ArticleUseNotAllowed):
        services.article_use_record(
            actor=actor_of("pmlp_staff"), article=holders, useful=None, consultation_key="consultation:1"
        )

    assert not ArticleUse.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "k" * 101, None])
def test_a_consultation_key_is_required_and_short(world, actor_of, article, key):
    with pytest.raises(ArticleUseInvalid):
        services.article_use_record(
            actor=actor_of("centre_specialist"), article=article, useful=True, consultation_key=key
        )

    assert not ArticleUse.objects.exists()


def test_useful_is_yes_no_or_not_said(world, actor_of, article):
    with pytest.raises(ArticleUseInvalid):
        services.article_use_record(
            actor=actor_of("centre_specialist"), article=article, useful="yes", consultation_key="c:1"
        )

    assert not ArticleUse.objects.exists()


def test_usage_counts_the_uses_and_the_useful_ones_in_one_query(
    world, actor_of, article, django_assert_num_queries
):
    specialist = actor_of("centre_specialist")
    for n, useful in enumerate([True, False, None, True]):
        services.article_use_record(
            actor=specialist, article=article, useful=useful, consultation_key=f"consultation:{n}"
        )
    other = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    services.article_use_record(
        actor=specialist, article=other, useful=True, consultation_key="consultation:9"
    )

    with django_assert_num_queries(1):
        usage = selectors.article_usage(article=article)

    assert usage == (4, 2)
    assert selectors.article_usage(article=article_make(agency=world.vsaa)) == (0, 0)


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()


@pytest.mark.parametrize(
    ("who", "shown"), [("centre_specialist", True), ("vsaa_staff", True), ("citizen", False)]
)
def test_the_article_page_shows_the_figures_to_officials(client, world, actor_of, article, who, shown):
    for n, useful in enumerate([True, False, True]):
        services.article_use_record(
            actor=actor_of("centre_specialist"), article=article, useful=useful, consultation_key=f"c:{n}"
        )
    client.cookies["django_language"] = "en"
    _login(client, world.users[who])

    with translation.override("en"):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert ("Used in 3 consultations; useful in 2" in response.text) is shown
    assert ('data-testid="kb-usage"' in response.text) is shown


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_two_registrations_racing_with_one_key_record_one_use(transactional_db, world, actor_of, article):
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(index):
        try:
            barrier.wait()
            results[index] = services.article_use_record(
                actor=actor_of("centre_specialist"),
                article=article,
                useful=index == 0,
                consultation_key="consultation:race",
            ).pk
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results[0] == results[1] is not None
    assert ArticleUse.objects.count() == 1
    assert AuditEvent.objects.filter(action="kb.article_use_record").count() == 1
