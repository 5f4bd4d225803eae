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

# paid in full or more: a prepaid case goes on
SETTLED_STATES = frozenset({InvoiceState.PAID, InvoiceState.OVERPAID})
# the states in which the payer still owes money: the invoice shows how to pay (the EPC QR code)
PAYABLE_STATES = frozenset({InvoiceState.ISSUED, InvoiceState.PARTLY_PAID, InvoiceState.OVERDUE})


class PaymentsAuditAction(models.TextChoices):
    INVOICE_ISSUE = "invoice.issue", _("Invoice issued")
    INVOICE_CANCEL = "invoice.cancel", _("Invoice cancelled")
    INVOICE_OVERDUE = "invoice.overdue", _("Invoice overdue")
    INVOICE_OVERPAYMENT_SETTLED = "invoice.overpayment_settled", _("Overpayment settled")
    PAYMENT_RECORD = "payment.record", _("Payment recorded")
    PAYMENT_REVERSE = "payment.reverse", _("Payment reversed")
    PAYMENT_SESSION_START = "payment.session_start", _("Online payment started")
    PAYMENT_CALLBACK_REFUSED = "payment.callback_refused", _("Payment notification refused")


class PaymentSource(models.TextChoices):
    GATEWAY = "gateway", _("Paid online")
    AGENCY_API = "agency_api", _("Reported by the agency")
    BANK_STATEMENT = "bank_statement", _("Bank statement")
    MANUAL = "manual", _("Recorded by a person")


class PaymentSessionState(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled by the payer")
    EXPIRED = "expired", _("Expired")


# an online payment session not completed within this time is closed; its late notification is refused
PAYMENT_SESSION_MINUTES = 90


# --- bank statements (camt.053 / camt.054) --------------------------------------------------------

# the largest statement file the upload page takes (a request's body is capped by MAX_UPLOAD_BYTES too)
# below MAX_UPLOAD_BYTES (12 MB by default), which refuses a larger request before the form sees it
BANK_STATEMENT_MAX_BYTES = 10 * 1024 * 1024


class BankStatementKind(models.TextChoices):
    CAMT053 = "camt053", _("Account statement (camt.053)")
    CAMT054 = "camt054", _("Debit/credit notification (camt.054)")


class BalanceCheck(models.TextChoices):
    OK = "ok", _("Balances agree")
    MISMATCH = "mismatch", _("Balances do not agree")
    NOT_CHECKED = "not_checked", _("Balances not checked")


class BankTransactionOutcome(models.TextChoices):
    PAID = "paid", _("Paid in full")
    PARTLY_PAID = "partly_paid", _("Paid in part")
    OVERPAID = "overpaid", _("Overpaid")
    UNMATCHED = "unmatched", _("Not matched")
    REVERSED = "reversed", _("Payment reversed")
    NOT_OURS = "not_ours", _("Not ours")
    ASSIGNED = "assigned", _("Assigned by hand")
    REJECTED = "rejected", _("Rejected")


# what a person may still resolve (assign to an invoice or mark "not ours")
BANK_TRANSACTION_OPEN_OUTCOMES = frozenset(
    {BankTransactionOutcome.UNMATCHED, BankTransactionOutcome.REJECTED}
)


class BankTransactionProblem(models.TextChoices):
    AMOUNT_NOT_NUMERIC = "amount_not_numeric", _("The amount is not a number")
    AMOUNT_NEGATIVE = "amount_negative", _("The amount is negative")
    AMOUNT_PRECISION = "amount_precision", _("The amount has more than two decimals")
    AMOUNT_MISSING = "amount_missing", _("The transaction has no amount")
    AMOUNT_OUT_OF_RANGE = "amount_out_of_range", _("The amount is zero or too large")
    DATE_MISSING = "date_missing", _("The entry has no booking date")
    CURRENCY = "currency", _("The currency is not euro")


class BankStatementAuditAction(models.TextChoices):
    STATEMENT_IMPORT = "bank_statement.import", _("Bank statement imported")
    TRANSACTION_ASSIGN = "bank_transaction.assign", _("Bank transaction assigned to an invoice")
    TRANSACTION_NOT_OURS = "bank_transaction.not_ours", _("Bank transaction marked not ours")
