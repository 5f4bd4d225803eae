"""Writing articles: templates, rendering, versions with their diff, optimistic locking, who edits,
centre notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from knowledge_base import selectors, services
from knowledge_base.constants import ArticleAudience, ArticleKind
from knowledge_base.exceptions import (
    ArticleEditNotAllowed,
    ArticleInvalid,
    ArticleVersionConflict,
    CentreNoteInvalid,
    CentreNoteNotAllowed,
)
from knowledge_base.models import Article, ArticleVersion, CentreNote

from .factories import article_make, data_of


@pytest.fixture
def article(world, actor_of):
    return article_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        title_lv="Bērna piedzimšanas pabalsts",
        topic=world.family,
        services=[world.benefit],
    )


def test_an_agency_editor_creates_an_article_from_a_template(world, actor_of):
    article = article_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        kind=ArticleKind.SERVICE_EXPLAINED,
        content_lv={
            "sections": {"who_may_apply": "Viens no **vecākiem**.", "not_a_section": "x"},
            "faq": [{"q": "Kad?", "a": "Līdz *gada* beigām."}],
            "steps": ["ignored: not in this template"],
        },
        services=[world.benefit],
    )

    article.refresh_from_db()
    assert article.version == 1
    assert article.content_lv == {
        "sections": {"who_may_apply": "Viens no **vecākiem**."},
        "faq": [{"q": "Kad?", "a": "Līdz *gada* beigām."}],
    }
    assert article.html_lv["sections"]["who_may_apply"] == "<p>Viens no <strong>vecākiem</strong>.</p>"
    assert article.html_lv["faq"] == [{"q": "Kad?", "a": "<p>Līdz <em>gada</em> beigām.</p>"}]
    assert article.owner == actor_of("vsaa_staff").user
    version = ArticleVersion.objects.get(article=article)
    assert version.number == 1 and version.author == actor_of("vsaa_staff").user
    assert AuditEvent.objects.filter(action="kb.article_create", object_id=str(article.pk)).exists()


def test_script_in_an_article_is_stored_inert(world, actor_of):
    article = article_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        content_lv={
            "sections": {"who_may_apply": "<script>alert('x')</script> [klikšķini](javascript:alert(1))"},
            "faq": [{"q": "<b>Q</b>", "a": '<img src=x onerror="alert(1)">'}],
        },
    )

    html = str(article.html_lv)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in article.html_lv["sections"]["who_may_apply"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title_lv": "  "}, "title_lv"),
        ({"audience": "everyone"}, "audience"),
        ({"review_on": None}, "review_on"),
        ({"content_lv": {"faq": [{"q": "Tikai jautājums", "a": ""}]}}, "faq_lv"),
    ],
)
def test_an_invalid_article_is_refused_with_the_field_named(world, actor_of, article, change, field):
    with pytest.raises(ArticleInvalid) as refused:
        services.article_edit(
            actor=actor_of("vsaa_staff"), article=article, expected_version=1, data=data_of(article, **change)
        )

    assert field in refused.value.field_errors
    article.refresh_from_db()
    assert article.version == 1 and article.versions.count() == 1


def test_a_legal_basis_link_with_javascript_is_refused(world, actor_of):
    with pytest.raises(ArticleInvalid) as refused:
        article_make(
            agency=world.vsaa,
            actor=actor_of("vsaa_staff"),
            kind=ArticleKind.LEGAL_BASIS,
            content_lv={"links": [{"title": "Likums", "url": "javascript:alert(1)"}]},
        )

    assert "links_lv" in refused.value.field_errors
    assert not Article.objects.exists()


def test_an_article_is_about_its_own_agencys_services_only(world, actor_of):
    with pytest.raises(ArticleInvalid) as refused:
        article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), services=[world.passport])

    assert "services" in refused.value.field_errors


def test_publication_must_end_after_it_starts(world, actor_of, article):
    now = timezone.now()

    with pytest.raises(ArticleInvalid) as refused:
        services.article_edit(
            actor=actor_of("vsaa_staff"),
            article=article,
            expected_version=1,
            data=data_of(article, publish_from=now, publish_until=now - timedelta(days=1)),
        )

    assert "publish_until" in refused.value.field_errors


def test_each_edit_is_a_version_with_what_changed_and_a_diff(world, actor_of, article):
    services.article_edit(
        actor=actor_of("vsaa_admin"),
        article=article,
        expected_version=1,
        data=data_of(
            article,
            title_lv="Bērna piedzimšanas pabalsts (2026)",
            content_lv={"sections": {"who_may_apply": "Ikviens vecāks.\nArī aizbildnis."}, "faq": []},
        ),
    )

    article.refresh_from_db()
    assert article.version == 2
    latest = ArticleVersion.objects.get(article=article, number=2)
    assert latest.author == actor_of("vsaa_admin").user
    assert set(latest.changes) == {"title_lv", "content_lv"}
    shown = selectors.article_version_diff(article=article, number=2)
    by_field = {f.field: f for f in shown.fields}
    assert ("removed", "Bērna piedzimšanas pabalsts") in [
        (line.op, line.text) for line in by_field["title_lv"].lines
    ]
    assert ("added", "Bērna piedzimšanas pabalsts (2026)") in [
        (line.op, line.text) for line in by_field["title_lv"].lines
    ]
    assert ("added", "Arī aizbildnis.") in [(line.op, line.text) for line in by_field["content_lv"].lines]
    assert AuditEvent.objects.filter(action="kb.article_edit", object_id=str(article.pk)).count() == 1


def test_saving_without_a_change_makes_no_version(world, actor_of, article):
    with pytest.raises(ArticleInvalid):
        services.article_edit(
            actor=actor_of("vsaa_staff"), article=article, expected_version=1, data=data_of(article)
        )

    article.refresh_from_db()
    assert article.version == 1 and article.versions.count() == 1


def test_a_stale_version_is_a_conflict_and_nothing_is_lost(world, actor_of, article):
    # two editors opened version 1; the first saves
    services.article_edit(
        actor=actor_of("vsaa_staff"),
        article=article,
        expected_version=1,
        data=data_of(article, title_lv="Pirmais"),
    )

    with pytest.raises(ArticleVersionConflict) as conflict:
        services.article_edit(
            actor=actor_of("vsaa_admin"),
            article=article,
            expected_version=1,
            data=data_of(article, title_lv="Otrais"),
        )

    assert conflict.value.status == 409 and conflict.value.extra["current_version"] == 2
    article.refresh_from_db()
    assert article.title_lv == "Pirmais" and article.version == 2 and article.versions.count() == 2


@pytest.mark.parametrize(
    "who", ["anonymous", "citizen", "pmlp_staff", "centre_specialist", "centre_admin", "platform_admin"]
)
def test_only_the_owning_agencys_staff_edit_and_a_refusal_is_audited(world, actor_of, article, who):
    with pytest.raises(ArticleEditNotAllowed) as refused:
        services.article_edit(
            actor=actor_of(who),
            article=article,
            expected_version=1,
            data=data_of(article, title_lv="Uzlauzts"),
        )

    assert refused.value.status == 403
    article.refresh_from_db()
    assert article.title_lv == "Bērna piedzimšanas pabalsts" and article.version == 1
    assert AuditEvent.objects.filter(action="kb.article_edit_refused", object_id=str(article.pk)).count() == 1


@pytest.mark.parametrize("who", ["citizen", "pmlp_staff", "centre_specialist"])
def test_only_an_agencys_staff_create_its_articles(world, actor_of, who):
    with pytest.raises(ArticleEditNotAllowed):
        article_make(agency=world.vsaa, actor=actor_of(who))

    assert not Article.objects.exists()
    assert AuditEvent.objects.filter(action="kb.article_edit_refused").count() == 1


def test_an_article_past_its_review_date_is_possibly_outdated(world, actor_of):
    article = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), review_in_days=-1)
    fresh = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), review_in_days=1)

    assert article.is_outdated() and not fresh.is_outdated()
    viewer = selectors.rules.viewer_for(world.users["vsaa_staff"])
    assert list(selectors.articles_to_review(viewer=viewer)) == [article]
    other = selectors.rules.viewer_for(world.users["pmlp_staff"])
    assert not selectors.articles_to_review(viewer=other).exists()


# --- centre notes --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["centre_specialist", "centre_admin"])
def test_a_centre_adds_its_note_without_touching_the_holders_text(world, actor_of, article, who):
    note = services.centre_note_save(
        actor=actor_of(who), article=article, text="Valmierā pieņemam **bez pieraksta** darbdienās."
    )

    assert note.centre == world.centre
    assert note.html == "<p>Valmierā pieņemam <strong>bez pieraksta</strong> darbdienās.</p>"
    article.refresh_from_db()
    assert article.version == 1 and article.versions.count() == 1
    assert AuditEvent.objects.filter(action="kb.centre_note_save", object_id=str(article.pk)).exists()


def test_saving_a_centre_note_again_replaces_it(world, actor_of, article):
    services.centre_note_save(actor=actor_of("centre_specialist"), article=article, text="Pirmā")
    services.centre_note_save(actor=actor_of("centre_admin"), article=article, text="Otrā")

    assert list(CentreNote.objects.values_list("text", flat=True)) == ["Otrā"]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "vsaa_staff", "pmlp_staff", "platform_admin"])
def test_only_centre_staff_add_centre_notes(world, actor_of, article, who):
    with pytest.raises(CentreNoteNotAllowed):
        services.centre_note_save(actor=actor_of(who), article=article, text="Piezīme")

    assert not CentreNote.objects.exists()


def test_a_centre_specialist_cannot_write_another_centres_note(world, actor_of, article):
    with pytest.raises(CentreNoteNotAllowed):
        services.centre_note_save(
            actor=actor_of("centre_specialist"), article=article, text="x", centre_id=world.other_centre.pk
        )


def test_a_centre_cannot_note_an_article_it_may_not_read(world, actor_of):
    holders_only = article_make(
        agency=world.vsaa, actor=actor_of("vsaa_staff"), audience=ArticleAudience.HOLDERS
    )

    with pytest.raises(CentreNoteNotAllowed):
        services.centre_note_save(actor=actor_of("centre_specialist"), article=holders_only, text="x")


def test_an_empty_centre_note_is_refused(world, actor_of, article):
    with pytest.raises(CentreNoteInvalid):
        services.centre_note_save(actor=actor_of("centre_specialist"), article=article, text="   ")
