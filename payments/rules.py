"""May this happen now? One predicate per rule; the services ask them after locking the row and the
pages show what they offer from the same calls."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .constants import (
    INVOICE_SEQUENCE_MAX,
    PAYABLE_STATES,
    SETTLED_STATES,
    TRANSITIONS,
    InvoiceKind,
    InvoiceState,
    PaymentSessionState,
)


def service_has_fee(service) -> bool:
    """Only a service with a fee may have an invoice."""
    return service.fee_eur is not None and Decimal(service.fee_eur) > 0


def invoice_kind_valid(kind: str) -> bool:
    return kind in InvoiceKind.values


def invoice_issue_allowed(*, open_of_kind: bool) -> bool:
    """A case has at most one invoice of a kind still to pay (a second would bill the client twice)."""
    return not open_of_kind


def invoice_sequence_available(*, last_value: int) -> bool:
    return last_value < INVOICE_SEQUENCE_MAX


def invoice_transition_allowed(invoice, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(invoice.state, frozenset())


def invoice_payable(invoice) -> bool:
    """The payer still owes money: the invoice shows how to pay (reference, EPC QR code)."""
    return invoice.state in PAYABLE_STATES


def invoice_cancel_allowed(invoice) -> bool:
    """Cancelled only while nothing was paid (what was paid is refunded instead)."""
    return invoice_transition_allowed(invoice, InvoiceState.CANCELLED) and not invoice.paid_amount


def invoice_becomes_overdue(invoice, *, today: datetime.date) -> bool:
    return (
        invoice.state in (InvoiceState.ISSUED, InvoiceState.PARTLY_PAID)
        and invoice.due_date < today
        and invoice_transition_allowed(invoice, InvoiceState.OVERDUE)
    )


def invoice_pdf_needed(invoice) -> bool:
    """The PDF is made once: a second run of the task finds it and does nothing."""
    return not invoice.pdf


# --- payments received ---------------------------------------------------------------------------

AMOUNT_MAX = Decimal("9999999.99")


def payment_amount_valid(amount) -> bool:
    """A positive amount in euros and cents (no third decimal), within what an invoice may hold."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return False
    return Decimal("0.01") <= amount <= AMOUNT_MAX and amount == amount.quantize(Decimal("0.01"))


def invoice_accepts_payment(invoice) -> bool:
    """Money is booked on any invoice but a cancelled or refunded one (that money goes to a person)."""
    return invoice.state not in (InvoiceState.CANCELLED, InvoiceState.REFUNDED)


def invoice_state_for_paid(invoice, *, paid_amount: Decimal, today: datetime.date) -> str:
    """The state an invoice is in once `paid_amount` of it has been paid (after a payment or a
    reversal): nothing → issued (overdue past the due date), less → partly paid (overdue past the
    due date), exactly → paid, more → overpaid (a person refunds or credits the excess)."""
    if paid_amount >= invoice.amount:
        return InvoiceState.PAID if paid_amount == invoice.amount else InvoiceState.OVERPAID
    if invoice.due_date < today:
        return InvoiceState.OVERDUE
    return InvoiceState.PARTLY_PAID if paid_amount > 0 else InvoiceState.ISSUED


def invoice_settled(invoice) -> bool:
    """Paid in full (or more): a prepaid case may go on."""
    return invoice.state in SETTLED_STATES


def payment_reverse_allowed(payment) -> bool:
    return payment.reversed_at is None


def invoice_overpayment_settle_allowed(invoice) -> bool:
    """A person returned or credited the excess: the invoice becomes paid."""
    return invoice.state == InvoiceState.OVERPAID


# --- paying online -------------------------------------------------------------------------------


def payment_session_start_allowed(invoice) -> bool:
    return invoice_payable(invoice)


def payment_session_completable(session, *, now: datetime.datetime) -> bool:
    """A gateway's notification closes only an open session that has not expired."""
    return session.state == PaymentSessionState.OPEN and now < session.expires_at
