"""Money received: recording a payment on an invoice (from any source, once), reversing it, settling
an overpayment, and what follows a settled invoice (the prepaid case goes on, the payer is told).

Every source ends here or in the set-based statement import, which applies the same rule
(`rules.invoice_state_for_paid`) in SQL and then hands the settled invoices to the same follow-up.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import services as audit
from kernel.actors import Actor
from notifications.services import notify
from notifications.topics import Localised
from outbox import services as outbox
from requests_registry import services as registry

from .. import rules
from ..constants import InvoiceKind, InvoiceState, PaymentsAuditAction
from ..exceptions import (
    InvoiceNotFound,
    InvoiceNotPayable,
    InvoiceTransitionNotAllowed,
    PaymentConflict,
    PaymentInvalid,
    PaymentNotFound,
)
from ..models import Invoice, Payment

logger = logging.getLogger(__name__)

FOLLOW_UP_TASK = "payments.tasks.invoices_settled_follow_up"
FOLLOW_UP_CHUNK = 200


@dataclass(frozen=True)
class PaymentRecorded:
    payment: Payment
    created: bool  # False: the same payment was told before (a replay), nothing changed


def _locked_invoice(invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("payer_person", "payer_organisation")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


def _apply_paid_amount(*, invoice: Invoice, paid_amount: Decimal, today: datetime.date) -> bool:
    """Set the paid amount and the state it means; True if the invoice became settled now."""
    was_settled = rules.invoice_settled(invoice)
    invoice.paid_amount = paid_amount
    invoice.state = rules.invoice_state_for_paid(invoice, paid_amount=paid_amount, today=today)
    invoice.save(update_fields=["paid_amount", "state", "updated_at"])
    return rules.invoice_settled(invoice) and not was_settled


def settled_follow_up_enqueue(invoice_ids: list[int]) -> None:
    """After the commit, a worker moves the prepaid cases on and tells the payers (in chunks)."""
    for start in range(0, len(invoice_ids), FOLLOW_UP_CHUNK):
        outbox.enqueue(FOLLOW_UP_TASK, invoice_ids[start : start + FOLLOW_UP_CHUNK])


def _told_before(*, source: str, source_key: str, invoice: Invoice, amount: Decimal) -> Payment | None:
    """The same payment recorded before (None if never); PaymentConflict if it was recorded for
    another invoice or amount."""
    earlier = Payment.objects.filter(source=source, source_key=source_key).first()
    if earlier is not None and (earlier.invoice_id != invoice.pk or earlier.amount != amount):
        raise PaymentConflict()
    return earlier


@transaction.atomic
def payment_record(
    *,
    actor: Actor,
    invoice: Invoice,
    amount: Decimal,
    source: str,
    source_key: str,
    paid_on: datetime.date,
    payer_name: str = "",
) -> PaymentRecorded:
    """Record `amount` paid on `invoice`, told by `source` under `source_key`. The same payment told
    again (same source and key, same invoice and amount) changes nothing; with another invoice or
    amount it is refused (PaymentConflict). A cancelled or refunded invoice takes no payment."""
    if not rules.payment_amount_valid(amount):
        raise PaymentInvalid()
    if not source_key or len(source_key) > 200:
        raise ValueError("source_key: 1 to 200 characters")
    locked = _locked_invoice(invoice.pk)
    earlier = _told_before(source=source, source_key=source_key, invoice=locked, amount=amount)
    if earlier is not None:
        return PaymentRecorded(payment=earlier, created=False)
    if not rules.invoice_accepts_payment(locked):
        raise InvoiceNotPayable()
    try:
        with transaction.atomic():  # the same payment told for another invoice at the same moment
            payment = Payment.objects.create(
                invoice=locked,
                amount=amount,
                source=source,
                source_key=source_key,
                paid_on=paid_on,
                payer_name=payer_name[:140],
            )
    except IntegrityError:
        earlier = _told_before(source=source, source_key=source_key, invoice=locked, amount=amount)
        if earlier is None:
            raise
        return PaymentRecorded(payment=earlier, created=False)
    from_state = locked.state
    settled_now = _apply_paid_amount(
        invoice=locked, paid_amount=locked.paid_amount + amount, today=timezone.localdate()
    )
    audit.record(
        action=PaymentsAuditAction.PAYMENT_RECORD,
        actor=actor,
        acting_for=locked.payer,
        target=locked,
        data={
            "reference": locked.reference,
            "amount": str(amount),
            "source": source,
            "from": from_state,
            "to": locked.state,
        },
    )
    if settled_now:
        settled_follow_up_enqueue([locked.pk])
    invoice.state, invoice.paid_amount = locked.state, locked.paid_amount
    return PaymentRecorded(payment=payment, created=True)


@transaction.atomic
def payment_reverse(*, actor: Actor, payment: Payment, reason: str = "") -> Payment:
    """The bank took a payment back: the payment is marked reversed and the invoice owes it again.
    Reversing twice changes nothing the second time."""
    locked_invoice = _locked_invoice(payment.invoice_id)
    locked = Payment.objects.select_for_update().filter(pk=payment.pk).first()
    if locked is None:
        raise PaymentNotFound()
    if not rules.payment_reverse_allowed(locked):
        return locked
    locked.reversed_at = timezone.now()
    locked.save(update_fields=["reversed_at"])
    from_state = locked_invoice.state
    if locked_invoice.state not in (InvoiceState.CANCELLED, InvoiceState.REFUNDED):
        _apply_paid_amount(
            invoice=locked_invoice,
            paid_amount=max(locked_invoice.paid_amount - locked.amount, Decimal("0.00")),
            today=timezone.localdate(),
        )
    audit.record(
        action=PaymentsAuditAction.PAYMENT_REVERSE,
        actor=actor,
        acting_for=locked_invoice.payer,
        target=locked_invoice,
        reason=reason,
        data={
            "reference": locked_invoice.reference,
            "amount": str(locked.amount),
            "from": from_state,
            "to": locked_invoice.state,
        },
    )
    payment.reversed_at = locked.reversed_at
    return locked


@transaction.atomic
def invoice_overpayment_settle(*, actor: Actor, invoice: Invoice, note: str) -> Invoice:
    """Finance staff returned or credited the excess of an overpaid invoice: it becomes paid."""
    locked = _locked_invoice(invoice.pk)
    if not rules.invoice_overpayment_settle_allowed(locked):
        raise InvoiceTransitionNotAllowed(current=locked.state, requested=InvoiceState.PAID)
    excess = locked.paid_amount - locked.amount
    locked.state = InvoiceState.PAID
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        action=PaymentsAuditAction.INVOICE_OVERPAYMENT_SETTLED,
        actor=actor,
        acting_for=locked.payer,
        target=locked,
        reason=note,
        data={"reference": locked.reference, "excess": str(excess)},
    )
    invoice.state = locked.state
    return locked


def invoices_settled_follow_up(*, invoice_ids: list[int]) -> int:
    """For each invoice settled (paid in full or more): a prepaid case waiting for the payment goes
    on, and the payer is told once. Safe to run twice (the case moves only from awaiting payment, the
    notice is deduplicated by invoice). Returns how many cases moved on."""
    actor = Actor.system("payments: payment received")
    moved = 0
    invoices = (
        Invoice.objects.filter(pk__in=invoice_ids, state__in=[InvoiceState.PAID, InvoiceState.OVERPAID])
        .select_related("case", "case__service", "payer_person", "payer_organisation")
        .order_by("pk")
    )
    for invoice in invoices:
        with transaction.atomic():
            case = invoice.case
            if invoice.kind == InvoiceKind.PREPAYMENT and registry.case_payment_received(
                actor=actor, case=case
            ):
                moved += 1
            service = case.service
            notify(
                party=invoice.payer,
                topic="payment_received",
                context={
                    "amount": str(invoice.paid_amount),
                    "reference": invoice.reference_display,
                    "service": Localised(service.title_lv, service.title_en),
                    "state": InvoiceState(invoice.state).label,
                },
                dedupe_key=f"invoice-settled:{invoice.pk}",
                actor=actor,
                service_code=service.code,
                link_url=invoice.get_absolute_url(),
                case_number=case.number,
            )
    return moved
