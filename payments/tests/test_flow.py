"""A case's life issues and cancels its invoices, and a settled prepayment moves the case on:
filed (prepaid service) → invoice and awaiting payment; paid → registered and the payer told;
completed (service paid afterwards) → invoice; withdrawn or rejected → unpaid invoices cancelled."""

import datetime
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from eaccount.models import Message
from kernel.actors import Actor
from payments import rules, services
from payments.constants import InvoiceKind, InvoiceState, PaymentSource
from payments.exceptions import InvoiceNotPayable, PaymentConflict, PaymentInvalid
from payments.models import Invoice, Payment
from requests_registry import services as registry
from requests_registry.constants import CaseStatus
from requests_registry.exceptions import InvalidTransition
from requests_registry.models import Case, StatusChange
from requests_registry.tests.factories import VALID_DATA, CaseFactory, UserFactory, staff_of

from .factories import FeeServiceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def prepaid():
    return FeeServiceFactory(e_service=True, code="1036", fee="4.27")


def file_case(service, user):
    return registry.case_submit(
        actor=Actor(user=user), service=service, client=user.person, data=dict(VALID_DATA)
    )


def pay(invoice, amount, key="bank-1"):
    return services.payment_record(
        actor=Actor.system("tests"),
        invoice=invoice,
        amount=Decimal(amount),
        source=PaymentSource.BANK_STATEMENT,
        source_key=key,
        paid_on=TODAY,
    )


def test_filing_a_prepaid_service_issues_the_invoice_and_the_case_waits_for_payment(prepaid):
    user = UserFactory()

    case = file_case(prepaid, user)

    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PAYMENT
    invoice = Invoice.objects.get(case=case)
    assert invoice.kind == InvoiceKind.PREPAYMENT and invoice.amount == Decimal("4.27")
    assert "1036" in invoice.reference and rules.invoice_payable(invoice)
    history = list(case.status_changes.order_by("seq").values_list("from_status", "to_status"))
    assert history == [("", CaseStatus.SUBMITTED), (CaseStatus.SUBMITTED, CaseStatus.AWAITING_PAYMENT)]


def test_a_failed_invoice_rolls_the_filing_back(prepaid, monkeypatch):
    def broken(**kwargs):  # a crash while the invoice is written (fault injection)
        raise RuntimeError("the invoice could not be written")

    monkeypatch.setattr("payments.services.invoice_issue", broken)
    user = UserFactory()

    with pytest.raises(RuntimeError):
        file_case(prepaid, user)

    assert not Case.objects.exists() and not StatusChange.objects.exists() and not Invoice.objects.exists()


def test_paying_in_full_moves_the_case_on_and_tells_the_payer_once(
    prepaid, django_capture_on_commit_callbacks
):
    user = UserFactory()
    case = file_case(prepaid, user)
    invoice = Invoice.objects.get(case=case)

    with django_capture_on_commit_callbacks(execute=True):
        recorded = pay(invoice, "4.27")
    services.invoices_settled_follow_up(invoice_ids=[invoice.pk])  # run twice: nothing more happens

    assert recorded.created
    invoice.refresh_from_db()
    case.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.paid_amount == Decimal("4.27")
    assert case.status == CaseStatus.REGISTERED
    assert case.status_changes.filter(to_status=CaseStatus.REGISTERED).count() == 1
    assert Message.objects.filter(person=user.person, subject__startswith="Saņemts maksājums").count() == 1


def test_the_same_payment_told_twice_is_recorded_once(prepaid):
    invoice = Invoice.objects.get(case=file_case(prepaid, UserFactory()))

    first = pay(invoice, "2.00")
    again = pay(invoice, "2.00")

    assert first.created and not again.created
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("2.00") and invoice.state == InvoiceState.PARTLY_PAID
    assert Payment.objects.count() == 1
    with pytest.raises(PaymentConflict):
        pay(invoice, "3.00")  # the same payment with another amount
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "paid, state, case_status",
    [
        ("1.00", InvoiceState.PARTLY_PAID, CaseStatus.AWAITING_PAYMENT),
        ("4.27", InvoiceState.PAID, CaseStatus.REGISTERED),
        ("10.00", InvoiceState.OVERPAID, CaseStatus.REGISTERED),
    ],
)
def test_less_exact_or_more(prepaid, paid, state, case_status, django_capture_on_commit_callbacks):
    case = file_case(prepaid, UserFactory())
    invoice = Invoice.objects.get(case=case)

    with django_capture_on_commit_callbacks(execute=True):
        pay(invoice, paid)

    invoice.refresh_from_db()
    case.refresh_from_db()
    assert invoice.state == state and case.status == case_status


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.001", "NaN", "10000000.00"])
def test_bad_amounts_are_refused_and_change_nothing(prepaid, amount):
    invoice = Invoice.objects.get(case=file_case(prepaid, UserFactory()))

    with pytest.raises(PaymentInvalid):
        pay(invoice, amount)

    invoice.refresh_from_db()
    assert invoice.paid_amount == 0 and not Payment.objects.exists()


def test_a_reversal_makes_the_invoice_owed_again(prepaid):
    invoice = Invoice.objects.get(case=file_case(prepaid, UserFactory()))
    payment = pay(invoice, "4.27").payment

    services.payment_reverse(actor=Actor.system("tests"), payment=payment, reason="RvslInd")
    services.payment_reverse(actor=Actor.system("tests"), payment=payment)  # twice: nothing more

    invoice.refresh_from_db()
    assert invoice.paid_amount == 0 and invoice.state == InvoiceState.ISSUED
    assert AuditEvent.objects.filter(action="payment.reverse").count() == 1


def test_the_state_after_money_follows_the_due_date():
    invoice = Invoice(amount=Decimal("5.00"), due_date=TODAY)
    later = TODAY + datetime.timedelta(days=1)

    assert rules.invoice_state_for_paid(invoice, paid_amount=Decimal("0"), today=TODAY) == InvoiceState.ISSUED
    assert (
        rules.invoice_state_for_paid(invoice, paid_amount=Decimal("0"), today=later) == InvoiceState.OVERDUE
    )
    assert (
        rules.invoice_state_for_paid(invoice, paid_amount=Decimal("1"), today=TODAY)
        == InvoiceState.PARTLY_PAID
    )
    assert (
        rules.invoice_state_for_paid(invoice, paid_amount=Decimal("1"), today=later) == InvoiceState.OVERDUE
    )
    assert rules.invoice_state_for_paid(invoice, paid_amount=Decimal("5"), today=later) == InvoiceState.PAID
    assert (
        rules.invoice_state_for_paid(invoice, paid_amount=Decimal("6"), today=later) == InvoiceState.OVERPAID
    )


def test_withdrawing_cancels_the_unpaid_invoice_and_a_cancelled_invoice_takes_no_money(prepaid):
    user = UserFactory()
    case = file_case(prepaid, user)
    invoice = Invoice.objects.get(case=case)
    staff = staff_of(prepaid.agency)

    registry.case_change_status(actor=Actor(user=staff), case=case, to=CaseStatus.REJECTED, note="no")

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.CANCELLED
    with pytest.raises(InvoiceNotPayable):
        pay(invoice, "4.27")


def test_a_postpaid_service_is_billed_when_the_case_completes():
    service = FeeServiceFactory(fee="20.00", payment_mode="postpayment")
    case = CaseFactory(service=service, status=CaseStatus.IN_PROGRESS)
    staff = staff_of(service.agency)

    registry.case_change_status(actor=Actor(user=staff), case=case, to=CaseStatus.COMPLETED)

    invoice = Invoice.objects.get(case=case)
    assert invoice.kind == InvoiceKind.POSTPAYMENT and invoice.amount == Decimal("20.00")


def test_a_free_service_neither_bills_nor_waits_for_payment():
    case = CaseFactory(status=CaseStatus.IN_PROGRESS)
    staff = staff_of(case.service.agency)

    with pytest.raises(InvalidTransition):
        registry.case_change_status(actor=Actor(user=staff), case=case, to=CaseStatus.AWAITING_PAYMENT)
    registry.case_change_status(actor=Actor(user=staff), case=case, to=CaseStatus.COMPLETED)

    assert not Invoice.objects.exists()


def test_a_case_waiting_from_in_progress_goes_back_to_in_progress(django_capture_on_commit_callbacks):
    service = FeeServiceFactory(fee="7.00", payment_mode="postpayment")
    case = CaseFactory(service=service, status=CaseStatus.IN_PROGRESS)
    staff = staff_of(service.agency)
    registry.case_change_status(actor=Actor(user=staff), case=case, to=CaseStatus.AWAITING_PAYMENT)
    invoice = services.invoice_issue(actor=Actor(user=staff), case=case, kind=InvoiceKind.PREPAYMENT)

    with django_capture_on_commit_callbacks(execute=True):
        pay(invoice, "7.00")

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_overdue_then_paid_late(prepaid):
    invoice = Invoice.objects.get(case=file_case(prepaid, UserFactory()))
    after_due = invoice.due_date + datetime.timedelta(days=1)

    assert services.invoices_mark_overdue(today=after_due) == 1
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OVERDUE
    pay(invoice, "4.27")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
