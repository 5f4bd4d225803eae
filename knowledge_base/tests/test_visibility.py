"""Who sees what, asked as every role: citizens and anonymous visitors public published articles
only; centre specialists public and providers'; an agency's staff also their own agency's holders'
articles and drafts; a platform admin every audience."""

from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge_base import rules, selectors
from knowledge_base.constants import ArticleAudience
from knowledge_base.exceptions import ArticleNotFound

from .factories import article_make, data_of

A = ArticleAudience


@pytest.fixture
def articles(world, actor_of):
    vsaa, pmlp = actor_of("vsaa_staff"), actor_of("pmlp_staff")
    made = {
        "vsaa_public": article_make(
            agency=world.vsaa, actor=vsaa, audience=A.PUBLIC, title_lv="VSAA publisks"
        ),
        "vsaa_providers": article_make(
            agency=world.vsaa, actor=vsaa, audience=A.PROVIDERS, title_lv="VSAA sniedzējiem"
        ),
        "vsaa_holders": article_make(
            agency=world.vsaa, actor=vsaa, audience=A.HOLDERS, title_lv="VSAA turētājam"
        ),
        "vsaa_draft": article_make(
            agency=world.vsaa, actor=vsaa, audience=A.PUBLIC, published=False, title_lv="VSAA melnraksts"
        ),
        "pmlp_public": article_make(
            agency=world.pmlp, actor=pmlp, audience=A.PUBLIC, title_lv="PMLP publisks"
        ),
        "pmlp_holders": article_make(
            agency=world.pmlp, actor=pmlp, audience=A.HOLDERS, title_lv="PMLP turētājam"
        ),
    }
    # one whose publication has ended
    ended = article_make(agency=world.vsaa, actor=vsaa, audience=A.PUBLIC, title_lv="VSAA beidzies")
    from knowledge_base import services

    services.article_edit(
        actor=vsaa,
        article=ended,
        expected_version=1,
        data=data_of(
            ended,
            publish_from=timezone.now() - timedelta(days=10),
            publish_until=timezone.now() - timedelta(days=1),
        ),
    )
    made["vsaa_ended"] = ended
    return made


EXPECTED = {
    "anonymous": {"vsaa_public", "pmlp_public"},
    "citizen": {"vsaa_public", "pmlp_public"},
    "centre_specialist": {"vsaa_public", "vsaa_providers", "pmlp_public"},
    "centre_admin": {"vsaa_public", "vsaa_providers", "pmlp_public"},
    "vsaa_staff": {
        "vsaa_public",
        "vsaa_providers",
        "vsaa_holders",
        "vsaa_draft",
        "vsaa_ended",
        "pmlp_public",
    },
    "vsaa_admin": {
        "vsaa_public",
        "vsaa_providers",
        "vsaa_holders",
        "vsaa_draft",
        "vsaa_ended",
        "pmlp_public",
    },
    "pmlp_staff": {"vsaa_public", "vsaa_providers", "pmlp_public", "pmlp_holders"},
    "platform_admin": {"vsaa_public", "vsaa_providers", "vsaa_holders", "pmlp_public", "pmlp_holders"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_lists_exactly_its_articles(world, articles, who):
    viewer = rules.viewer_for(world.users[who])

    listed = set(selectors.article_search(viewer=viewer).values_list("title_lv", flat=True))

    assert listed == {articles[key].title_lv for key in EXPECTED[who]}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_opens_only_its_articles_and_the_rest_are_not_found(world, articles, who):
    viewer = rules.viewer_for(world.users[who])

    for key, article in articles.items():
        if key in EXPECTED[who]:
            assert selectors.article_get_for(viewer=viewer, pk=article.pk) == article
        else:
            with pytest.raises(ArticleNotFound):
                selectors.article_get_for(viewer=viewer, pk=article.pk)


@pytest.mark.parametrize("pk", [None, "", "abc", "-1", "0", "99999999", "1" * 40])
def test_a_missing_or_malformed_article_is_not_found(world, pk):
    with pytest.raises(ArticleNotFound):
        selectors.article_get_for(viewer=rules.viewer_for(world.users["vsaa_staff"]), pk=pk)


def test_a_revoked_role_sees_no_more_than_a_citizen(world, articles):
    from eaccount.models import StaffRole
    from eaccount.selectors import staff_role_facts_forget

    user = world.users["vsaa_staff"]
    StaffRole.objects.filter(user=user).update(revoked_at=timezone.now())
    staff_role_facts_forget(user_id=user.pk, user=user)

    listed = set(selectors.article_search(viewer=rules.viewer_for(user)).values_list("title_lv", flat=True))

    assert listed == {articles["vsaa_public"].title_lv, articles["pmlp_public"].title_lv}


def test_the_article_page_shows_notes_and_history_to_officials_only(world, articles, actor_of):
    from knowledge_base import services

    article = articles["vsaa_public"]
    services.centre_note_save(actor=actor_of("centre_specialist"), article=article, text="Valmierā")

    citizen = selectors.article_page(viewer=rules.viewer_for(world.users["citizen"]), article=article)
    official = selectors.article_page(
        viewer=rules.viewer_for(world.users["centre_specialist"]), article=article
    )

    assert citizen.notes == [] and citizen.versions == []
    assert [n.text for n in official.notes] == ["Valmierā"] and [v.number for v in official.versions] == [1]
