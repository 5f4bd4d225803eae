"""Factories of the knowledge base, for this app's tests and the apps above it.

Articles and scripts are made through the services (as an editor of their agency would), so they
carry their rendered HTML, search text, first version and audit event:

    article = article_make(agency=vsaa, title_lv="Bērna piedzimšanas pabalsts", services=[benefit])
    script = script_make(agency=vsaa, graph=CHILDBIRTH_GRAPH, publish=True)
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from catalogue.tests.factories import AgencyFactory
from eaccount.constants import StaffRoleKind
from eaccount.tests.factories import StaffRoleFactory
from kernel.actors import Actor
from knowledge_base import services
from knowledge_base.constants import ArticleAudience, ArticleKind
from knowledge_base.models import Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_lv = factory.LazyAttribute(lambda o: f"Tēma {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Topic {o.slug}")


def editor_of(agency) -> Actor:
    """An agency staff member of `agency` (a new user each time), as an Actor."""
    return Actor(user=StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=agency).user)


def article_make(
    *,
    agency=None,
    actor: Actor | None = None,
    kind: str = ArticleKind.SERVICE_EXPLAINED,
    audience: str = ArticleAudience.PUBLIC,
    title_lv: str = "Raksts",
    topic: Topic | None = None,
    published: bool = True,
    review_in_days: int = 180,
    content_lv: dict | None = None,
    **fields,
):
    agency = agency or AgencyFactory()
    actor = actor or editor_of(agency)
    data = services.ArticleData(
        topic=topic or TopicFactory(),
        audience=audience,
        title_lv=title_lv,
        review_on=timezone.localdate() + timedelta(days=review_in_days),
        content_lv=content_lv
        if content_lv is not None
        else {"sections": {"who_may_apply": "Ikviens **vecāks**."}, "faq": [{"q": "Cik?", "a": "Vienreiz."}]},
        publish_from=timezone.now() - timedelta(days=1) if published else None,
        **fields,
    )
    return services.article_create(actor=actor, owner_agency=agency, kind=kind, data=data)


def data_of(article, **changes) -> services.ArticleData:
    """The article's current data (what its edit form starts from), with `changes` applied."""
    data = services.ArticleData(
        topic=article.topic,
        audience=article.audience,
        title_lv=article.title_lv,
        title_en=article.title_en,
        summary_lv=article.summary_lv,
        summary_en=article.summary_en,
        content_lv=article.content_lv,
        content_en=article.content_en,
        review_on=article.review_on,
        services=list(article.services.all()),
        life_events=list(article.life_events.all()),
        publish_from=article.publish_from,
        publish_until=article.publish_until,
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


# a sound graph: start → question → (note → end informed | end case to file)
SOUND_GRAPH = {
    "start": "start",
    "nodes": {
        "start": {"kind": "start", "text_lv": "Sveiciens", "next": "q1"},
        "q1": {
            "kind": "question",
            "text_lv": "Vai bērns jau ir reģistrēts?",
            "options": [
                {"label_lv": "Jā", "label_en": "Yes", "next": "info"},
                {"label_lv": "Nē", "label_en": "No", "next": "file"},
            ],
        },
        "info": {"kind": "note", "text_lv": "Pastāstiet par pabalstu.", "next": "end-informed"},
        "end-informed": {"kind": "end", "text_lv": "Informēts", "outcome": "informed"},
        "file": {"kind": "end", "text_lv": "Jāiesniedz", "outcome": "case_to_file"},
    },
}


def script_make(
    *, agency=None, actor: Actor | None = None, graph=None, publish: bool = True, title_lv="Skripts"
):
    agency = agency or AgencyFactory()
    actor = actor or editor_of(agency)
    script = services.script_create(
        actor=actor, owner_agency=agency, title_lv=title_lv, graph=graph if graph is not None else SOUND_GRAPH
    )
    if publish:
        script = services.script_publish(actor=actor, script=script)
    return script
