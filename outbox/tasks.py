"""Beat's relay of the task outbox."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def outbox_relay_pending() -> int:
    """Send what the broker did not take when it was enqueued (safe to run twice)."""
    return services.relay_pending()
