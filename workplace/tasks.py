"""Thin Celery wrappers around the workplace's services: build the actor, call, return a count.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility
timeout; the escalation job over 1,000,000 cases fits them (bench/workplace_escalation.py)."""

from celery import shared_task

from kernel.actors import Actor

from .services import escalations as escalation_services

ESCALATION_JOB = "Escalation job"


@shared_task(acks_late=True)
def escalations_raise() -> int:
    """Escalate the late cases and unresolved consultations to their supervisors (beat, every 15
    minutes; set-based; safe to run twice: once per case and deadline, once per consultation)."""
    return escalation_services.escalations_raise(actor=Actor.system(ESCALATION_JOB))
