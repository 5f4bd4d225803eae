"""Writes of the payments, by topic; each takes the Actor and is one transaction with its audit event.

- invoices: issuing (with the never-reused RF reference and due date), cancelling, marking overdue,
  making the PDF
- received: recording a payment from any source once, reversing it, settling an overpayment, and
  what follows a settled invoice (the prepaid case goes on, the payer is told)
- online: payment sessions through a gateway and the gateway's signed notifications
"""

from .invoices import (
    invoice_cancel,
    invoice_due_date,
    invoice_issue,
    invoice_pdf_generate,
    invoices_mark_overdue,
)
from .online import (
    payment_notification_accept,
    payment_notification_refused,
    payment_session_start,
    payment_sessions_expire,
)
from .payees import payee_set
from .received import (
    PaymentRecorded,
    invoice_overpayment_settle,
    invoices_settled_follow_up,
    payment_record,
    payment_reverse,
    settled_follow_up_enqueue,
)
from .statements import bank_statement_import, bank_transaction_assign, bank_transaction_mark_not_ours

__all__ = [
    "bank_statement_import",
    "bank_transaction_assign",
    "bank_transaction_mark_not_ours",
    "PaymentRecorded",
    "invoice_cancel",
    "invoice_due_date",
    "invoice_issue",
    "invoice_overpayment_settle",
    "invoice_pdf_generate",
    "invoices_mark_overdue",
    "invoices_settled_follow_up",
    "payee_set",
    "payment_notification_accept",
    "payment_notification_refused",
    "payment_record",
    "payment_reverse",
    "payment_session_start",
    "payment_sessions_expire",
    "settled_follow_up_enqueue",
]
