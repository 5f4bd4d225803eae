"""May this happen now? One predicate per rule; the services ask them after locking the row and the
pages show what they offer from the same calls."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .constants import INVOICE_SEQUENCE_MAX, PAYABLE_STATES, TRANSITIONS, InvoiceKind, InvoiceState


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
