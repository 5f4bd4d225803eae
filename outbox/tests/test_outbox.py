"""The task outbox: a task is recorded in the transaction, sent after the commit, kept when the broker
is away, sent later by beat, never twice by the two."""

import datetime

import pytest
from celery import current_app, shared_task
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
RUNS: list = []


@shared_task(acks_late=True, time_limit=10, soft_time_limit=5)
def remember(value):
    RUNS.append(value)
    return value


@pytest.fixture(autouse=True)
def eager():
    RUNS.clear()
    conf = current_app.conf
    saved = {key: conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")}
    conf.update(task_always_eager=True)
    yield conf
    conf.update(saved)


def test_a_task_is_sent_after_the_commit_and_marked(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue(remember, "a")
        assert RUNS == []

    assert RUNS == ["a"]
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_rolled_back_change_enqueues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.enqueue(remember, "b")
                raise RuntimeError
        except RuntimeError:
            pass

    assert RUNS == [] and not OutboxMessage.objects.exists()


def test_with_the_broker_away_the_message_waits_and_beat_sends_it_once(
    eager, django_capture_on_commit_callbacks
):
    eager.update(
        task_always_eager=False, broker_url="redis://127.0.0.1:1/0", broker_write_url="redis://127.0.0.1:1/0"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue(remember, "c")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.last_error

    assert services.relay_pending() == 0  # too fresh: the after-commit hand-off had its chance
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert services.relay_pending() == 0  # the broker is still away
    eager.update(task_always_eager=True)

    assert services.relay_pending() == 1
    assert services.relay_pending() == 0
    assert RUNS == ["c"]


def test_a_sent_message_is_not_sent_again():
    message = OutboxMessage.objects.create(task=remember.name, args=["d"])
    assert services.relay_one(message_id=message.pk)

    assert not services.relay_one(message_id=message.pk)
    assert RUNS == ["d"]


def test_sent_messages_are_forgotten_after_a_week():
    old = OutboxMessage.objects.create(
        task=remember.name, sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = OutboxMessage.objects.create(task=remember.name, sent_at=timezone.now())

    services.relay_pending()

    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
