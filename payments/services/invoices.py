"""Writes of the payments: issuing an invoice (with its never-reused RF reference and due date),
cancelling it, marking it overdue, and making its PDF (run by a task after the commit)."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from audit import services as audit
from kernel.actors import Actor
from kernel.parties import is_person
from kernel.working_days import working_days_after
from notifications.services import notify
from notifications.topics import Localised
from outbox import services as outbox

from .. import rules
from ..constants import DUE_WORKING_DAYS, InvoiceState, PaymentsAuditAction
from ..exceptions import (
    InvoiceLimitReached,
    InvoiceNotFound,
    InvoiceTransitionNotAllowed,
    OpenInvoiceExists,
    PayeeMissing,
    ServiceHasNoFee,
)
from ..models import Invoice, InvoiceSequence, Payee
from ..references import rf_reference_for

logger = logging.getLogger(__name__)

PDF_TASK = "payments.tasks.invoice_pdf_make"


def invoice_due_date(*, issued_on: datetime.date, days: int = DUE_WORKING_DAYS) -> datetime.date:
    """`days` Latvian working days after the day of issue."""
    return working_days_after(issued_on, days)


@transaction.atomic
def invoice_issue(*, actor: Actor, case, kind: str) -> Invoice:
    """Issue an invoice for `case` of its service's fee, to the case's client, payable to the
    service's agency. Refused for a free service, an agency without a payee, a case that already has
    an invoice of this kind to pay. The reference takes the case's next invoice number under a lock,
    so it is never given twice. The PDF is made by a task after the commit."""
    if not rules.invoice_kind_valid(kind):
        raise ValueError(f"unknown invoice kind {kind!r}")
    service = case.service
    if not rules.service_has_fee(service):
        raise ServiceHasNoFee()
    payee = Payee.objects.filter(agency_id=case.agency_id).first()
    if payee is None:
        raise PayeeMissing()
    # the case's invoice counter, locked: issuing for one case is serialised
    sequence, _created = InvoiceSequence.objects.select_for_update().get_or_create(case_id=case.pk)
    open_of_kind = Invoice.objects.filter(
        case_id=case.pk,
        kind=kind,
        state__in=[InvoiceState.ISSUED, InvoiceState.PARTLY_PAID, InvoiceState.OVERDUE],
    ).exists()
    if not rules.invoice_issue_allowed(open_of_kind=open_of_kind):
        raise OpenInvoiceExists()
    if not rules.invoice_sequence_available(last_value=sequence.last_value):
        raise InvoiceLimitReached()
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    client = case.client
    issued_at = timezone.now()
    invoice = Invoice.objects.create(
        case=case,
        seq=sequence.last_value,
        service_code=service.code,
        payer_person=client if is_person(client) else None,
        payer_organisation=None if is_person(client) else client,
        payee=payee,
        amount=Decimal(service.fee_eur).quantize(Decimal("0.01")),
        kind=kind,
        state=InvoiceState.ISSUED,
        reference=rf_reference_for(case_number=case.number, invoice_seq=sequence.last_value),
        issued_at=issued_at,
        due_date=invoice_due_date(issued_on=timezone.localdate(issued_at)),
    )
    audit.record(
        action=PaymentsAuditAction.INVOICE_ISSUE,
        actor=actor,
        acting_for=client,
        target=invoice,
        data={
            "case": case.number,
            "reference": invoice.reference,
            "amount": str(invoice.amount),
            "kind": kind,
        },
    )
    outbox.enqueue(PDF_TASK, invoice.pk)
    notify(
        party=client,
        topic="payment_due",
        context={
            "amount": str(invoice.amount),
            "due_date": date_format(invoice.due_date, "d.m.Y."),
            "reference": invoice.reference_display,
            "service": Localised(service.title_lv, service.title_en),
        },
        dedupe_key=f"invoice-issued:{invoice.pk}",
        actor=actor,
        service_code=service.code,
        link_url=invoice.get_absolute_url(),
        case_number=case.number,
    )
    return invoice


def _transition(*, actor: Actor, invoice: Invoice, to_state: str, action: str, reason: str = "") -> Invoice:
    from_state = invoice.state
    invoice.state = to_state
    invoice.save(update_fields=["state", "updated_at"])
    audit.record(
        action=action,
        actor=actor,
        acting_for=invoice.payer,
        target=invoice,
        reason=reason,
        data={"reference": invoice.reference, "from": from_state, "to": to_state},
    )
    return invoice


@transaction.atomic
def invoice_cancel(*, actor: Actor, invoice: Invoice, reason: str = "") -> Invoice:
    """Cancel an invoice nothing was paid on (e.g. the case was withdrawn before payment)."""
    locked = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("payer_person", "payer_organisation")
        .get(pk=invoice.pk)
    )
    if not rules.invoice_cancel_allowed(locked):
        raise InvoiceTransitionNotAllowed(current=locked.state, requested=InvoiceState.CANCELLED)
    _transition(
        actor=actor,
        invoice=locked,
        to_state=InvoiceState.CANCELLED,
        action=PaymentsAuditAction.INVOICE_CANCEL,
        reason=reason,
    )
    invoice.state = locked.state
    return locked


def invoices_mark_overdue(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Issued or partly paid invoices past their due date become overdue (a bounded batch; for beat)."""
    today = today or timezone.localdate()
    actor = Actor.system("payments: overdue")
    done = 0
    ids = list(
        Invoice.objects.filter(
            state__in=[InvoiceState.ISSUED, InvoiceState.PARTLY_PAID], due_date__lt=today
        ).values_list("pk", flat=True)[:limit]
    )
    for invoice_id in ids:
        with transaction.atomic():
            locked = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("payer_person", "payer_organisation")
                .filter(pk=invoice_id)
                .first()
            )
            if locked is None or not rules.invoice_becomes_overdue(locked, today=today):
                continue
            _transition(
                actor=actor,
                invoice=locked,
                to_state=InvoiceState.OVERDUE,
                action=PaymentsAuditAction.INVOICE_OVERDUE,
            )
            done += 1
    return done


def invoice_pdf_generate(*, invoice_id: int) -> bool:
    """Make and store the invoice's PDF once; True if it was made now. Safe to run twice: the row is
    locked and a PDF already there is kept (a second run does nothing)."""
    from ..pdf import invoice_pdf_render  # WeasyPrint and the template: only where a PDF is made

    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("case", "case__service", "payee", "payer_person", "payer_organisation")
            .filter(pk=invoice_id)
            .first()
        )
        if invoice is None:
            raise InvoiceNotFound()
        if not rules.invoice_pdf_needed(invoice):
            return False
        content = invoice_pdf_render(invoice)
        invoice.pdf.save(f"{invoice.reference}.pdf", ContentFile(content), save=False)
        try:
            invoice.save(update_fields=["pdf", "updated_at"])
        except BaseException:
            invoice.pdf.delete(save=False)
            raise
    return True
