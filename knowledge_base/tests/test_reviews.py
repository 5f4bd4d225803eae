"""Review dates flagged to the owner: once the review date comes, the article's owner is told through
notify() once per article and review date; no owner, nobody told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge_base import services, tasks
from knowledge_base.models import Article
from knowledge_base.services import reviews
from notifications.models import Notification

from .factories import article_make, data_of


def _told(user):
    return Notification.objects.filter(
        recipient_person=user.person, topic="kb_article_review_due", channel="e_account"
    )


@pytest.fixture
def due(world, actor_of):
    return article_make(
        agency=world.vsaa, actor=actor_of("vsaa_staff"), title_lv="Bērna pabalsts", review_in_days=-1
    )


def test_the_owner_is_told_once_per_article_and_review_date(world, due):
    owner = world.users["vsaa_staff"]

    first = services.articles_review_due_notify()
    again = services.articles_review_due_notify()

    assert (first, again) == (1, 0)
    notice = _told(owner).get()
    assert "Bērna pabalsts" in notice.subject
    assert notice.dedupe_key == f"kb-review:{due.pk}:{due.review_on.isoformat()}"
    assert notice.link_url == f"/knowledge/articles/{due.pk}/edit/"
    due.refresh_from_db()
    assert due.review_notified_on == due.review_on


def test_an_article_is_due_on_its_review_date_and_not_before(world, actor_of):
    today = timezone.localdate()
    article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), review_in_days=1)
    on_the_day = article_make(agency=world.vsaa, actor=actor_of("vsaa_admin"), review_in_days=0)

    assert services.articles_review_due_notify(today=today) == 1

    assert not _told(world.users["vsaa_staff"]).exists()
    assert _told(world.users["vsaa_admin"]).get().dedupe_key.startswith(f"kb-review:{on_the_day.pk}:")


def test_a_new_review_date_is_told_again_once_it_comes(world, actor_of, due):
    owner = world.users["vsaa_staff"]
    services.articles_review_due_notify()
    new_date = timezone.localdate() + timedelta(days=30)
    services.article_edit(
        actor=actor_of("vsaa_staff"), article=due, expected_version=1, data=data_of(due, review_on=new_date)
    )

    assert services.articles_review_due_notify() == 0  # the new date has not come
    assert services.articles_review_due_notify(today=new_date) == 1

    assert _told(owner).count() == 2


def test_an_article_without_an_owner_or_whose_owner_cannot_be_told_is_skipped(world, actor_of, due):
    inactive = article_make(agency=world.vsaa, actor=actor_of("vsaa_admin"), review_in_days=-3)
    world.users["vsaa_admin"].__class__.objects.filter(pk=world.users["vsaa_admin"].pk).update(
        is_active=False
    )
    Article.objects.filter(pk=due.pk).update(owner=None)

    assert services.articles_review_due_notify() == 0

    assert not Notification.objects.filter(topic="kb_article_review_due").exists()
    inactive.refresh_from_db()
    assert inactive.review_notified_on is None


def test_a_run_tells_a_bounded_batch_and_the_next_run_the_rest(world, actor_of, monkeypatch):
    for days in (-3, -2, -1):
        article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), review_in_days=days)
    monkeypatch.setattr(reviews, "REVIEW_NOTICE_BATCH", 2)

    runs = [services.articles_review_due_notify() for _ in range(3)]

    assert runs == [2, 1, 0]
    assert _told(world.users["vsaa_staff"]).count() == 3


def test_the_task_runs_the_service(world, due):
    assert tasks.articles_review_due_notify.apply().get() == 1
    assert tasks.articles_review_due_notify.acks_late and tasks.articles_review_due_notify.ignore_result

    assert _told(world.users["vsaa_staff"]).count() == 1
