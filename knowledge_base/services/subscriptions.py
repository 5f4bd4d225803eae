"""Subscriptions to changes of articles (by service or topic), and the notice of each change to
the subscribers who may read the article."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from audit.services import record
from kernel.actors import Actor
from notifications.services import notify
from notifications.topics import Localised

from .. import rules
from ..constants import TOPIC_ARTICLE_CHANGED, KnowledgeAuditAction
from ..exceptions import SubscriptionInvalid, SubscriptionNotAllowed
from ..models import Article, ArticleVersion, Subscription, Topic
from ..selectors import subscriber_users_of
from ..versions import FIELD_LABELS


@transaction.atomic
def subscription_add(*, actor: Actor, service=None, topic: Topic | None = None) -> Subscription:
    """Follow the articles about a service, or a topic (once: asking again changes nothing)."""
    viewer = rules.viewer_for_actor(actor)
    if not rules.subscription_allowed(viewer=viewer):
        raise SubscriptionNotAllowed
    if (service is None) == (topic is None):
        raise SubscriptionInvalid({"__all__": [SubscriptionInvalid.default_message]})
    subscription, created = Subscription.objects.get_or_create(
        user=actor.user_or_none, service=service, topic=topic
    )
    if created:
        record(
            action=KnowledgeAuditAction.SUBSCRIPTION_ADD,
            actor=actor,
            target=subscription,
            data={"service": getattr(service, "code", None), "topic": getattr(topic, "slug", None)},
        )
    return subscription


@transaction.atomic
def subscription_remove(*, actor: Actor, subscription: Subscription) -> None:
    user = actor.user_or_none
    if user is None or subscription.user_id != user.pk:
        raise SubscriptionNotAllowed
    record(action=KnowledgeAuditAction.SUBSCRIPTION_REMOVE, actor=actor, target=subscription)
    subscription.delete()


def _labels(fields: Iterable[str], language: str) -> str:
    with translation.override(language):
        return ", ".join(str(FIELD_LABELS[f]) for f in fields if f in FIELD_LABELS)


def article_change_tell_subscribers(*, article: Article, version: ArticleVersion, actor: Actor) -> None:
    """Everyone who follows one of the article's services or its topic, and may read the article,
    is told once per version (the dedupe key), with a link to the diff; not the author."""
    author_id = getattr(actor.user_or_none, "pk", None)
    agency = article.owner_agency
    context = {
        "title": Localised(article.title_lv, article.title_en),
        "agency": Localised(agency.name_lv, agency.name_en),
        "version": version.number,
        "changes": Localised(_labels(version.changes, "lv"), _labels(version.changes, "en")),
    }
    link = reverse("knowledge_base:article-version", kwargs={"pk": article.pk, "number": version.number})
    for user in subscriber_users_of(article=article):
        if user.pk == author_id or not user.is_active or user.person_id is None:
            continue
        if not rules.subscriber_told(article, viewer=rules.viewer_for(user)):
            continue
        notify(
            party=user.person,
            topic=TOPIC_ARTICLE_CHANGED,
            context=context,
            dedupe_key=f"kb-article:{article.pk}:{version.number}",
            actor=actor,
            sender_label=agency.name_lv,
            link_url=link,
        )
