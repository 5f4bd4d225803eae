"""Beat's relay of the task outbox.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility timeout.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def outbox_relay_pending() -> int:
    """Send what the broker did not take when it was enqueued (safe to run twice)."""
    return services.relay_pending()
