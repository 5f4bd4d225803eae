"""How a case's life issues and cancels its invoices; registered with the registry's case events in
`PaymentsConfig.ready()`, run inside the transaction of the case's change.

- filed, prepaid service with a fee → a prepayment invoice, and the case waits for the payment
  (it goes on by itself when the invoice is settled: `services.invoices_settled_follow_up`);
- completed, service paid afterwards → a postpayment invoice;
- withdrawn or rejected → its invoices with nothing paid are cancelled (what was paid is left to
  finance staff to refund).
"""

from __future__ import annotations

import contextlib
import logging

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalogue.constants import PaymentMode
from kernel.actors import Actor
from requests_registry import services as registry
from requests_registry.case_panels import CasePanel
from requests_registry.constants import CaseStatus

from . import rules, selectors, services
from .constants import PAYABLE_STATES, InvoiceKind
from .exceptions import OpenInvoiceExists, PayeeMissing
from .models import Invoice

logger = logging.getLogger(__name__)

SYSTEM = "payments"


def _charges(service, mode: str) -> bool:
    return service.payment_mode == mode and rules.service_has_fee(service)


def _issue(*, actor: Actor, case, kind: str):
    """The invoice, or None when the agency's account is not known yet (logged: staff bill by hand)."""
    try:
        return services.invoice_issue(actor=actor, case=case, kind=kind)
    except PayeeMissing:
        logger.warning("no payee for agency %s: case %s gets no invoice", case.service.agency_id, case.number)
        return None


def on_case_submitted(*, actor: Actor, case) -> None:
    if not _charges(case.service, PaymentMode.PREPAYMENT):
        return
    invoice = _issue(actor=actor, case=case, kind=InvoiceKind.PREPAYMENT)
    if invoice is None:
        return
    registry.case_change_status(
        actor=Actor.system(SYSTEM),
        case=case,
        to=CaseStatus.AWAITING_PAYMENT,
        note=f"{invoice.amount} EUR, {invoice.reference_display}",
    )


def on_case_status_changed(*, actor: Actor, case, from_status: str, to_status: str) -> None:
    service = case.service
    if to_status == CaseStatus.COMPLETED and _charges(service, PaymentMode.POSTPAYMENT):
        # the case already has one to pay: a client is never billed twice
        with contextlib.suppress(OpenInvoiceExists):
            _issue(actor=actor, case=case, kind=InvoiceKind.POSTPAYMENT)
    elif to_status in (CaseStatus.WITHDRAWN, CaseStatus.REJECTED):
        unpaid = Invoice.objects.filter(case_id=case.pk, state__in=PAYABLE_STATES, paid_amount=0)
        for invoice in unpaid.select_related("payer_person", "payer_organisation"):
            services.invoice_cancel(actor=actor, invoice=invoice, reason=str(CaseStatus(to_status).label))


def case_panels_for(*, case, for_staff: bool) -> list[CasePanel]:
    """The case's invoices on its page: amount, state, paid, due date and reference (one query). The
    client gets a link to pay; the agency's staff see whether it is paid without asking the Treasury."""
    panels = []
    for invoice in selectors.invoice_list_for_case(case=case):
        rows = [
            (_("Amount"), f"{invoice.amount} EUR"),
            (_("State"), str(invoice.get_state_display())),
            (_("Paid"), f"{invoice.paid_amount} EUR"),
            (_("Due date"), date_format(invoice.due_date, "SHORT_DATE_FORMAT")),
            (_("Payment reference"), invoice.reference_display),
        ]
        links = [] if for_staff else [(invoice.get_absolute_url(), _("Open the invoice"))]
        title = _("Invoice: %(kind)s") % {"kind": invoice.get_kind_display()}
        panels.append(CasePanel(title=title, rows=rows, links=links, testid=f"case-invoice-{invoice.seq}"))
    return panels
