"""Thin Celery wrappers around e-account services.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility timeout.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def staff_roles_record_expired() -> int:
    """Periodic (beat): audit the end of fixed-term staff roles. Safe to run twice."""
    return services.staff_roles_record_expired()
