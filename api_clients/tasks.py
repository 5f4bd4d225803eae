"""Thin Celery wrappers around the API clients' services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def idempotency_records_purge() -> int:
    """Delete the APIs' Idempotency-Key records past IDEMPOTENCY_KEY_TTL_HOURS."""
    return services.idempotency_records_purge()
