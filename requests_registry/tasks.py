"""Thin Celery wrappers around the registry's services: ids in, re-fetch, guard, call.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility timeout.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def case_notify_client(case_id: int, status_change_id: int) -> bool:
    """Tell the client about a status change (e-account message + e-mail). Safe to run twice."""
    return services.case_notify_client_send(case_id=case_id, status_change_id=status_change_id)


@shared_task(acks_late=True)
def drafts_purge_stale(older_than_hours: int = 24) -> int:
    """Delete the files of applications checked but never submitted (schedule it daily with beat)."""
    from .drafts import drafts_purge_stale as purge

    return purge(older_than_hours=older_than_hours)


@shared_task(acks_late=True)
def case_notifications_resend_missing() -> int:
    """Send again the notices whose task the broker lost (beat, every 30 seconds; safe to run twice)."""
    return services.case_notifications_resend_missing()


@shared_task(acks_late=True)
def satisfaction_thresholds_evaluate() -> int:
    """Evaluate every service's satisfaction threshold and tell the agency's admins of each new crossing
    (beat, every 15 minutes; safe to run twice: once per crossing)."""
    return services.satisfaction_thresholds_evaluate()


@shared_task(acks_late=True)
def proactive_rules_run() -> dict:
    """The proactive rules (beat): claim each active rule's due occasions set-based (one statement per
    rule), then send the claimed notices in bounded batches (the rest next time). Safe to run twice."""
    from .services.proactive import proactive_run

    result = proactive_run()
    return {"rules": result.rules, "claimed": result.claimed_total, "notified": result.notified}
