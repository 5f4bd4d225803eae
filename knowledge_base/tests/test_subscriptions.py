"""Subscriptions: a provider or holder follows a service or a topic and is told once per change,
through notify(), with a link to the diff; nobody hears of an article they may not read."""

import pytest

from knowledge_base import services
from knowledge_base.constants import ArticleAudience
from knowledge_base.exceptions import SubscriptionInvalid, SubscriptionNotAllowed
from knowledge_base.models import Subscription
from notifications.models import Notification

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


def _edit(article, actor, **changes):
    article.refresh_from_db()
    return services.article_edit(
        actor=actor, article=article, expected_version=article.version, data=data_of(article, **changes)
    )


def _told(user):
    return Notification.objects.filter(
        recipient_person=user.person, topic="kb_article_changed", channel="e_account"
    )


def test_a_subscriber_to_the_topic_and_the_service_is_told_once_per_change(world, actor_of, article):
    ilze = world.users["centre_specialist"]
    services.subscription_add(actor=actor_of("centre_specialist"), topic=world.family)
    services.subscription_add(actor=actor_of("centre_specialist"), service=world.benefit)

    _edit(article, actor_of("vsaa_staff"), title_lv="Bērna piedzimšanas pabalsts 2026")

    told = _told(ilze)
    assert told.count() == 1
    notice = told.get()
    assert notice.link_url == f"/knowledge/articles/{article.pk}/versions/2/"
    assert "Bērna piedzimšanas pabalsts 2026" in notice.subject

    _edit(article, actor_of("vsaa_admin"), summary_lv="Vienreizējs pabalsts")

    assert _told(ilze).count() == 2


def test_the_author_is_not_told_of_their_own_change(world, actor_of, article):
    services.subscription_add(actor=actor_of("vsaa_staff"), topic=world.family)

    _edit(article, actor_of("vsaa_staff"), title_lv="Jauns")

    assert not _told(world.users["vsaa_staff"]).exists()


def test_nobody_is_told_of_an_article_they_may_not_read(world, actor_of):
    hidden = article_make(
        agency=world.vsaa, actor=actor_of("vsaa_staff"), audience=ArticleAudience.HOLDERS, topic=world.family
    )
    services.subscription_add(actor=actor_of("centre_specialist"), topic=world.family)
    services.subscription_add(actor=actor_of("vsaa_admin"), topic=world.family)

    _edit(hidden, actor_of("vsaa_staff"), title_lv="Iekšēja kārtība")

    assert not _told(world.users["centre_specialist"]).exists()
    assert _told(world.users["vsaa_admin"]).count() == 1


def test_a_centre_note_tells_nobody(world, actor_of, article):
    services.subscription_add(actor=actor_of("vsaa_admin"), topic=world.family)

    services.centre_note_save(actor=actor_of("centre_specialist"), article=article, text="Piezīme")

    assert not Notification.objects.exists()


def test_subscribing_twice_keeps_one_subscription(world, actor_of):
    services.subscription_add(actor=actor_of("centre_specialist"), topic=world.family)
    services.subscription_add(actor=actor_of("centre_specialist"), topic=world.family)

    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_citizens_do_not_subscribe(world, actor_of, who):
    with pytest.raises(SubscriptionNotAllowed):
        services.subscription_add(actor=actor_of(who), topic=world.family)

    assert not Subscription.objects.exists()


def test_a_subscription_names_a_service_or_a_topic(world, actor_of):
    with pytest.raises(SubscriptionInvalid):
        services.subscription_add(actor=actor_of("centre_specialist"))
    with pytest.raises(SubscriptionInvalid):
        services.subscription_add(
            actor=actor_of("centre_specialist"), topic=world.family, service=world.benefit
        )


def test_only_the_subscriber_ends_their_subscription(world, actor_of):
    subscription = services.subscription_add(actor=actor_of("centre_specialist"), topic=world.family)

    with pytest.raises(SubscriptionNotAllowed):
        services.subscription_remove(actor=actor_of("vsaa_staff"), subscription=subscription)
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    services.subscription_remove(actor=actor_of("centre_specialist"), subscription=subscription)
    assert not Subscription.objects.exists()
