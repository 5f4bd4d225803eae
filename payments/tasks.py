"""Thin Celery wrappers around the payments' services: ids in, re-fetch, guard, call.

Time limits: the global ones (CELERY_TASK_TIME_LIMIT in settings), below the broker's visibility
timeout; an invoice's PDF takes about a second.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def invoice_pdf_make(invoice_id: int) -> bool:
    """Make the invoice's PDF once (enqueued through the outbox when the invoice is issued)."""
    return services.invoice_pdf_generate(invoice_id=invoice_id)


@shared_task(acks_late=True, ignore_result=True)
def invoices_mark_overdue() -> int:
    """Invoices past their due date become overdue (a bounded batch; for beat)."""
    return services.invoices_mark_overdue()


@shared_task(acks_late=True, ignore_result=True)
def invoices_settled_follow_up(invoice_ids: list[int]) -> int:
    """Prepaid cases of settled invoices go on; the payers are told (safe to run twice)."""
    return services.invoices_settled_follow_up(invoice_ids=[int(i) for i in invoice_ids])


@shared_task(acks_late=True, ignore_result=True)
def payment_sessions_expire() -> int:
    """Online payment sessions past their time are closed (for beat)."""
    return services.payment_sessions_expire()
