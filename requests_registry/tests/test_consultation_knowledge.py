"""A consultation records what the specialist answered from: the knowledge base article (and whether it
answered the question — counted on the article) and the call script run that led the conversation.
One-stop centre specialists record consultations too, at their centre, about any service."""

import pytest
from django.urls import reverse

from catalogue.tests.factories import AgencyFactory
from eaccount.tests.factories import StaffRoleFactory
from kernel.actors import Actor
from knowledge_base import selectors as kb_selectors
from knowledge_base import services as kb_services
from knowledge_base.constants import ArticleAudience
from knowledge_base.tests.factories import article_make, script_make
from requests_registry.models import Consultation

from .factories import ServiceFactory, UserFactory, login

pytestmark = pytest.mark.django_db

URL = reverse("requests_registry:consultation-new")


@pytest.fixture
def world():
    vsaa = AgencyFactory(code="VSAA")
    service = ServiceFactory(agency=vsaa, code="1011")
    specialist = StaffRoleFactory(kind="centre_specialist")
    article = article_make(
        agency=vsaa, title_lv="Bērna piedzimšanas pabalsts", audience=ArticleAudience.PROVIDERS
    )
    holders_only = article_make(agency=vsaa, title_lv="Iekšējā kārtība", audience=ArticleAudience.HOLDERS)
    script = script_make(agency=vsaa)
    return vsaa, service, specialist, article, holders_only, script


def finished_run(user, script):
    actor = Actor(user=user)
    run = kb_services.script_run_start(actor=actor, script=script)
    run = kb_services.script_run_step(actor=actor, run=run)
    run = kb_services.script_run_step(actor=actor, run=run, answer=0)
    run = kb_services.script_run_step(actor=actor, run=run)
    return kb_services.script_run_finish(actor=actor, run=run)


def form(**changes):
    return {
        "channel": "phone",
        "service": "1011",
        "topic": "Kā saņemt bērna piedzimšanas pabalstu",
        "duration_minutes": "6",
        "outcome": "answered",
        "article_useful": "yes",
    } | changes


def test_a_centre_specialist_records_a_consultation_with_the_article_and_the_script_run(client, world):
    _vsaa, service, specialist, article, _holders, script = world
    run = finished_run(specialist.user, script)
    login(client, specialist.user)

    page = client.get(URL, {"script_run": run.pk, "article": article.pk})
    assert page.status_code == 200 and f'value="{run.pk}"' in page.content.decode()
    response = client.post(URL, form(article=article.pk, script_run=run.pk))

    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.article == article and consultation.article_useful is True
    assert consultation.script_run == run and consultation.centre == specialist.centre
    assert consultation.service == service and consultation.consulted_by == specialist.user
    assert kb_selectors.article_usage(article=article) == (1, 1)


@pytest.mark.parametrize(
    "what, error",
    [
        ("holders' article", "article"),
        ("no such article", "article"),
        ("another's run", "script_run"),
        ("unfinished run", "script_run"),
        ("useful without article", "article_useful"),
    ],
)
def test_what_the_specialist_may_not_name_is_refused_and_nothing_recorded(client, world, what, error):
    vsaa, _service, specialist, article, holders_only, script = world
    other = StaffRoleFactory(kind="centre_specialist", centre=specialist.centre)
    changes = {
        "holders' article": {"article": holders_only.pk},
        "no such article": {"article": 999999},
        "another's run": {"script_run": finished_run(other.user, script).pk},
        "unfinished run": {
            "script_run": kb_services.script_run_start(actor=Actor(user=specialist.user), script=script).pk
        },
        "useful without article": {},
    }[what]
    login(client, specialist.user)

    response = client.post(URL, form(**changes))

    assert response.status_code == 200
    assert error in response.context["form"].errors
    assert not Consultation.objects.exists()
    assert kb_selectors.article_usage(article=article) == (0, 0)


def test_one_run_makes_one_consultation(client, world):
    _vsaa, _service, specialist, article, _holders, script = world
    run = finished_run(specialist.user, script)
    login(client, specialist.user)

    assert client.post(URL, form(article=article.pk, script_run=run.pk)).status_code == 302
    again = client.post(URL, form(article=article.pk, script_run=run.pk))

    assert again.status_code == 200 and "script_run" in again.context["form"].errors
    assert Consultation.objects.count() == 1
    assert kb_selectors.article_usage(article=article) == (1, 1)


def test_a_citizen_records_no_consultation(client, world):
    login(client, UserFactory())

    assert client.get(URL).status_code == 404
    assert client.post(URL, form()).status_code == 404
    assert not Consultation.objects.exists()
