"""Enqueue a Celery task reliably: `enqueue(task, *args)` inside the transaction of the change.

- The intent is an OutboxMessage row of the same transaction: a rolled-back change enqueues nothing,
  a committed one is never lost.
- After the commit the message is handed to the broker at once (`relay_one`), with a short timeout and
  no retry loop; a broker that is down costs the request about a second and an error in the log,
  never an exception: the answer is the same as with the broker up.
- Beat runs `relay_pending` every minute: what the broker did not take is sent then.
- A message is sent while its row is locked (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), so the
  after-commit hand-off and beat do not both send it. If a process dies between the broker taking it
  and the row being marked, it is sent again: tasks are written to be safe to run twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A message is left to beat once it is this old (the after-commit hand-off had its chance).
RELAY_AFTER = timedelta(seconds=30)
SENT_KEPT = timedelta(days=7)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record that `task` (a Celery task, or its name) is to run with these JSON arguments, in the
    current transaction; hand it to the broker after the commit."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(relay_one, message_id=message.pk))
    return message


def _locked(message_id: int) -> OutboxMessage | None:
    qs = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return qs.first()


def relay_one(*, message_id: int) -> bool:
    """Hand one pending message to the broker; True if it was sent now. Never raises."""
    try:
        with transaction.atomic():
            message = _locked(message_id)
            if message is None:  # sent already, or being sent by another process
                return False
            if message.task not in current_app.tasks:  # a process that has not imported it yet
                current_app.loader.import_default_modules()
            task = current_app.tasks[message.task]
            with current_app.connection_for_write() as broker:
                task.apply_async(args=message.args, kwargs=message.kwargs, connection=broker, retry=False)
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            return True
    except Exception as error:  # the broker is away, or the task failed in eager mode: beat retries
        logger.warning("Outbox message %s was not sent: %s", message_id, error)
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            last_error=f"{type(error).__name__}: {error}"[:300]
        )
        return False


def relay_pending(*, limit: int = 500) -> int:
    """Send the messages the after-commit hand-off did not (oldest first); stop at the first the
    broker refuses. Then forget messages sent more than a week ago. Returns how many were sent."""
    now = timezone.now()
    pending = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=now - RELAY_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in pending:
        if not relay_one(message_id=message_id):
            if OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).exists():
                break  # the broker is still away: the next run goes on
            continue
        sent += 1
    OutboxMessage.objects.filter(sent_at__lt=now - SENT_KEPT).delete()
    return sent
