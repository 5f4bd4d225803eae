"""Thin Celery wrappers around the knowledge base's services (for beat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def articles_review_due_notify() -> int:
    """Owners of articles whose review date has come are told, once per article and review date (a
    bounded batch a run; safe to run twice)."""
    return services.articles_review_due_notify()
