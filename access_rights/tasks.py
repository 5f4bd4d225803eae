"""Thin Celery wrappers around the access-rights services: build the actor, call, return a count.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility
timeout. A run cut short leaves what it sent; the next one sends the rest (the dedupe keys)."""

from celery import shared_task

from kernel.actors import Actor

from .services import reminders

ACCESS_RIGHTS_JOB = "Access rights job"


@shared_task(acks_late=True)
def staff_roles_expiry_warn() -> int:
    """Warn the holders and admins of fixed-term roles ending in 14 and in 3 days (beat, daily; safe to
    run twice: once per role, term, threshold and recipient). Returns the notices sent."""
    return reminders.staff_roles_expiry_warn(actor=Actor.system(ACCESS_RIGHTS_JOB))


@shared_task(acks_late=True)
def staff_roles_inactive_review() -> int:
    """Count to each admin the roles unused for 90 days they answer for (beat, weekly; safe to run
    twice: once per admin and ISO week). Returns the admins told."""
    return reminders.staff_roles_inactive_review(actor=Actor.system(ACCESS_RIGHTS_JOB))
