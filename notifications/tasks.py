"""Thin Celery wrappers around the notifications' services: ids in, re-fetch, guard, call.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility timeout;
SMTP_TIMEOUT and SMS_GATEWAY_TIMEOUT end a send well before them. No countdowns: beat hands out retries.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def notification_deliver(notification_id: int) -> str:
    """Send one e-mail or SMS notification. Safe to run twice (the row is locked and its state checked)."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True)
def notifications_redeliver_due() -> int:
    """Hand out retries, the morning's SMS and notifications whose task was lost (beat, every 30 s)."""
    return services.notifications_redeliver_due()


@shared_task(acks_late=True)
def notifications_purge_delivered() -> int:
    """Clear delivered notifications' texts after NOTIFICATIONS_RETENTION_DAYS (beat, daily)."""
    return services.notifications_purge_delivered()
