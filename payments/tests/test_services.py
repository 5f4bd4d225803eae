"""Issuing and cancelling invoices: only for a service with a fee, one open invoice of a kind per
case, references never reused; the state rules."""

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from outbox.models import OutboxMessage
from payments import rules, services
from payments.constants import TRANSITIONS, InvoiceKind, InvoiceState
from payments.exceptions import (
    InvoiceTransitionNotAllowed,
    OpenInvoiceExists,
    PayeeMissing,
    ServiceHasNoFee,
)
from payments.models import Invoice, InvoiceSequence
from requests_registry.tests.factories import CaseFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_an_invoice_is_issued_for_the_fee_to_the_client_payable_to_the_agency(case, owner, issue):
    invoice = issue(case)

    assert invoice.amount == Decimal("4.27")
    assert invoice.state == InvoiceState.ISSUED and invoice.kind == InvoiceKind.PREPAYMENT
    assert invoice.payer == owner.person and invoice.payer_organisation is None
    assert invoice.payee.agency == case.agency
    assert invoice.service_code == "1036" and invoice.seq == 1
    assert invoice.paid_amount == 0 and not invoice.pdf
    assert AuditEvent.objects.filter(action="invoice.issue", object_id=str(invoice.pk)).exists()
    assert OutboxMessage.objects.filter(task="payments.tasks.invoice_pdf_make", args=[invoice.pk]).exists()


def test_an_organisation_client_is_the_payer(fee_service, issue):
    organisation = OrganisationFactory()
    case = CaseFactory(service=fee_service, client_person=None, client_organisation=organisation)

    invoice = issue(case)

    assert invoice.payer == organisation and invoice.payer_person is None


@pytest.mark.parametrize("fee", [None, Decimal("0.00")])
def test_a_free_service_is_refused(fee, system):
    service = ServiceFactory(fee_eur=fee)
    case = CaseFactory(service=service)

    with pytest.raises(ServiceHasNoFee) as refused:
        services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT)

    assert refused.value.status == 409
    assert not Invoice.objects.exists() and not InvoiceSequence.objects.exists()


def test_an_agency_without_a_payee_is_refused(system):
    case = CaseFactory(service=ServiceFactory(fee_eur=Decimal("7.00")))

    with pytest.raises(PayeeMissing):
        services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT)

    assert not Invoice.objects.exists()


def test_a_second_open_invoice_of_a_kind_is_refused(case, issue):
    issue(case)

    with pytest.raises(OpenInvoiceExists):
        issue(case)

    assert Invoice.objects.count() == 1


def test_a_reference_is_never_reused(case, issue, system):
    first = issue(case)
    services.invoice_cancel(actor=system, invoice=first, reason="wrong amount")
    # even if the cancelled row were removed, its number stays taken
    Invoice.objects.filter(pk=first.pk).delete()

    second = issue(case)

    assert second.seq == 2 and second.reference != first.reference


def test_a_cancelled_invoice_cannot_be_cancelled_again(case, issue, system):
    invoice = issue(case)
    services.invoice_cancel(actor=system, invoice=invoice)

    with pytest.raises(InvoiceTransitionNotAllowed):
        services.invoice_cancel(actor=system, invoice=invoice)

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.CANCELLED
    assert AuditEvent.objects.filter(action="invoice.cancel").count() == 1


def test_an_invoice_with_money_paid_is_not_cancelled(case, issue, system):
    invoice = issue(case)
    Invoice.objects.filter(pk=invoice.pk).update(state=InvoiceState.PARTLY_PAID, paid_amount=Decimal("1.00"))

    with pytest.raises(InvoiceTransitionNotAllowed):
        services.invoice_cancel(actor=system, invoice=invoice)

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PARTLY_PAID


def test_invoices_past_their_due_date_become_overdue(case, issue):
    invoice = issue(case)
    later = invoice.due_date.replace(year=invoice.due_date.year + 1)

    assert services.invoices_mark_overdue(today=invoice.due_date) == 0
    assert services.invoices_mark_overdue(today=later) == 1
    assert services.invoices_mark_overdue(today=later) == 0

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OVERDUE


def test_the_transitions_end_in_cancelled_or_refunded():
    assert TRANSITIONS[InvoiceState.CANCELLED] == TRANSITIONS[InvoiceState.REFUNDED] == frozenset()
    assert set(TRANSITIONS) == set(InvoiceState.values)
    paid = Invoice(state=InvoiceState.PAID)
    assert rules.invoice_transition_allowed(paid, InvoiceState.REFUNDED)
    assert not rules.invoice_transition_allowed(paid, InvoiceState.ISSUED)
    assert not rules.invoice_payable(paid)
    assert rules.invoice_payable(Invoice(state=InvoiceState.OVERDUE))
