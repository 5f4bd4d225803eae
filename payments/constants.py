"""The payments' vocabulary: invoice kinds and states, the states' transitions, audit actions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENCY = "EUR"
# an invoice is due this many working days (weekends and Latvian public holidays skipped) after issue
DUE_WORKING_DAYS = 10
# the invoice's number within its case: two digits of the RF reference's body (so at most 99)
INVOICE_SEQUENCE_DIGITS = 2
INVOICE_SEQUENCE_MAX = 10**INVOICE_SEQUENCE_DIGITS - 1


class InvoiceKind(models.TextChoices):
    PREPAYMENT = "prepayment", _("Prepayment")
    POSTPAYMENT = "postpayment", _("Payment after the service")


class InvoiceState(models.TextChoices):
    ISSUED = "issued", _("To pay")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERPAID = "overpaid", _("Overpaid")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


S = InvoiceState
# where an invoice may go from each state (rules.invoice_transition_allowed reads it)
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ISSUED: frozenset({S.PAID, S.PARTLY_PAID, S.OVERPAID, S.OVERDUE, S.CANCELLED}),
    # the rest of the amount comes, too much comes, or the due date passes; what was paid is given back
    S.PARTLY_PAID: frozenset({S.PAID, S.OVERPAID, S.OVERDUE, S.REFUNDED}),
    # late, but it may still be paid (in part or whole) or be cancelled while nothing was paid
    S.OVERDUE: frozenset({S.PAID, S.PARTLY_PAID, S.OVERPAID, S.CANCELLED, S.REFUNDED}),
    # a person refunds the excess (→ paid) or the whole payment (→ refunded)
    S.OVERPAID: frozenset({S.PAID, S.REFUNDED}),
    S.PAID: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
del S

# the states in which the payer still owes money: the invoice shows how to pay (the EPC QR code)
PAYABLE_STATES = frozenset({InvoiceState.ISSUED, InvoiceState.PARTLY_PAID, InvoiceState.OVERDUE})


class PaymentsAuditAction(models.TextChoices):
    INVOICE_ISSUE = "invoice.issue", _("Invoice issued")
    INVOICE_CANCEL = "invoice.cancel", _("Invoice cancelled")
    INVOICE_OVERDUE = "invoice.overdue", _("Invoice overdue")
