"""Thin Celery wrappers around the registry's services: ids in, re-fetch, guard, call."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def case_notify_client(case_id: int, status_change_id: int) -> bool:
    """Tell the client about a status change (e-account message + e-mail). Safe to run twice."""
    return services.case_notify_client_send(case_id=case_id, status_change_id=status_change_id)
