"""The demo content, and the issue's "done when" in services: Ilze finds the childbirth benefit by
"berna pabalst" with the Valmiera note, runs the call script to its end; Edgars edits the article
and Ilze, following the family topic, is told once; a citizen sees public articles only; a VSAA
editor cannot edit a PMLP article."""

import pytest

from catalogue.demo import load_pilot_catalogue
from eaccount.demo import load_demo_people
from kernel.actors import Actor
from knowledge_base import rules, selectors, services
from knowledge_base.demo import CHILDBIRTH_TITLE, SCRIPT_TITLE, load_demo_knowledge
from knowledge_base.exceptions import ArticleEditNotAllowed
from knowledge_base.models import Article, Script
from notifications.models import Notification

from .factories import data_of


@pytest.fixture
def demo(db):
    load_pilot_catalogue()
    people = load_demo_people()
    load_demo_knowledge(people)
    return people


def test_every_pilot_service_has_an_article_and_loading_again_adds_nothing(demo):
    from catalogue.selectors import service_list_visible

    codes = set(service_list_visible(is_official=True).values_list("code", flat=True))
    covered = set(Article.objects.values_list("services__code", flat=True))
    count = Article.objects.count()

    load_demo_knowledge(demo)

    assert codes <= covered
    assert Article.objects.count() == count and Script.objects.count() == 1


def test_the_done_when_of_issue_14(demo):
    ilze = Actor(user=demo["centre_specialist"].user)
    edgars = Actor(user=demo["vsaa_staff"].user)
    viewer = rules.viewer_for(ilze.user)

    found = list(selectors.article_search(viewer=viewer, q="berna pabalst"))
    assert CHILDBIRTH_TITLE in [a.title_lv for a in found]
    article = selectors.article_get_for(
        viewer=viewer, pk=next(a.pk for a in found if a.title_lv == CHILDBIRTH_TITLE)
    )
    page = selectors.article_page(viewer=viewer, article=article)
    assert [note.centre.code for note in page.notes] == ["VPVKAC-VALMIERA"]
    assert len(article.html_lv["faq"]) == 4 and [v.number for v in page.versions] == [2, 1]

    script = Script.objects.get(title_lv=SCRIPT_TITLE)
    run = services.script_run_start(actor=ilze, script=script)
    for answer in (None, 0, 0, 0, None):  # start, registered: yes, months: yes, eID: yes, explain
        run = services.script_run_step(actor=ilze, run=run, answer=answer)
    run = services.script_run_finish(actor=ilze, run=run)
    assert run.outcome == "informed"
    assert [step["node"] for step in run.path] == [
        "start",
        "registered",
        "months",
        "eid",
        "explain-online",
        "end-informed",
    ]

    services.article_edit(
        actor=edgars,
        article=article,
        expected_version=article.version,
        data=data_of(article, summary_lv="Jauns."),
    )
    told = Notification.objects.filter(recipient_person=demo["centre_specialist"], topic="kb_article_changed")
    assert told.filter(channel="e_account").count() == 1

    citizen = rules.viewer_for(demo["citizen_parent"].user)
    assert set(selectors.article_search(viewer=citizen).values_list("audience", flat=True)) == {"public"}

    eid_article = Article.objects.get(owner_agency__code="PMLP", kind="faq")
    with pytest.raises(ArticleEditNotAllowed):
        services.article_edit(
            actor=edgars, article=eid_article, expected_version=1, data=data_of(eid_article, title_lv="x")
        )
