"""Thin Celery wrappers around e-account services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def staff_roles_record_expired() -> int:
    """Periodic (beat): audit the end of fixed-term staff roles. Safe to run twice."""
    return services.staff_roles_record_expired()
