"""Thin Celery wrappers around the API clients' services.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility timeout.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def idempotency_records_purge() -> int:
    """Delete the APIs' Idempotency-Key records past IDEMPOTENCY_KEY_TTL_HOURS."""
    return services.idempotency_records_purge()
