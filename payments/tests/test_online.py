"""Paying online through the sandbox gateway: the payer goes to the (sandbox) bank and comes back with a
signed notification. A notification with a bad signature, another reference or amount, for an
unknown or expired session, or told twice changes nothing (more than once)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from payments import services
from payments.constants import InvoiceState, PaymentSessionState
from payments.gateways import sandbox
from payments.models import Payment, PaymentSession
from requests_registry.constants import CaseStatus
from requests_registry.tests.factories import UserFactory, login

pytestmark = pytest.mark.django_db

NOTIFY_URL = reverse("payments:gateway-notify", kwargs={"code": "sandbox"})


@pytest.fixture
def invoice(case, issue, owner, client):
    case.status = CaseStatus.AWAITING_PAYMENT
    case.save(update_fields=["status"])
    made = issue(case)
    login(client, owner)
    return made


def start(client, invoice):
    response = client.post(reverse("payments:invoice-pay", kwargs={"pk": invoice.pk}))
    assert response.status_code == 302
    return response["Location"]


def bank_answer(client, bank_url, action="pay"):
    """Press a button at the sandbox bank; the signed fields it hands back to take to the portal."""
    page = client.post(bank_url, {"action": action}).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))


def test_paying_in_the_sandbox_marks_the_invoice_paid_and_moves_the_case_on(
    client, invoice, case, django_capture_on_commit_callbacks
):
    detail = client.get(invoice.get_absolute_url())
    assert b'data-testid="pay-online"' in detail.content

    bank_url = start(client, invoice)
    bank_page = client.get(bank_url)
    assert b'data-testid="sandbox-banner"' in bank_page.content
    fields = bank_answer(client, bank_url)
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(NOTIFY_URL, fields)

    assert back.status_code == 302 and back["Location"] == invoice.get_absolute_url()
    invoice.refresh_from_db()
    case.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.paid_amount == Decimal("4.27")
    assert case.status == CaseStatus.REGISTERED
    session = PaymentSession.objects.get()
    assert session.state == PaymentSessionState.PAID
    payment = Payment.objects.get()
    assert payment.source == "gateway" and payment.source_key == str(session.pk)

    # the browser posts the notification again (back button, double click): nothing more happens
    again = client.post(NOTIFY_URL, fields)
    assert again.status_code == 302 and Payment.objects.count() == 1
    # and the paid invoice offers no more paying
    assert b'data-testid="pay-online"' not in client.get(invoice.get_absolute_url()).content
    assert client.post(reverse("payments:invoice-pay", kwargs={"pk": invoice.pk})).status_code == 302
    assert PaymentSession.objects.count() == 1


def _refused(client, fields, status):
    response = client.post(NOTIFY_URL, fields)
    assert response.status_code == status
    assert b'data-testid="payment-refused"' in response.content
    return response


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: f | {"amount": "0.01"},  # signature no longer matches
        lambda f: f | {"signature": "0" * 64},
        lambda f: {k: v for k, v in f.items() if k != "signature"},
        lambda f: f | {"status": "paid", "signature": f["signature"].upper()},
    ],
)
def test_a_notification_whose_signature_does_not_match_changes_nothing(client, invoice, tamper):
    fields = bank_answer(client, start(client, invoice))

    _refused(client, tamper(fields), 422)

    invoice.refresh_from_db()
    assert invoice.paid_amount == 0 and not Payment.objects.exists()
    assert PaymentSession.objects.get().state == PaymentSessionState.OPEN
    assert AuditEvent.objects.filter(action="payment.callback_refused").count() == 1


def _signed(fields, **changes):
    changed = {k: v for k, v in fields.items() if k != "signature"} | changes
    return changed | {"signature": sandbox.sign(changed)}


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "1.00"},  # signed, but not the session's amount
        {"reference": "RF18539007547034"},  # signed, but another invoice's reference
        {"session": "7c0d5a52-6a3f-4c5e-9a61-3e2a9b0c1d2e"},  # signed, but no such session
        {"session": "not-a-uuid"},
        {"status": "maybe"},
        {"date": "yesterday"},
    ],
)
def test_a_signed_notification_that_does_not_fit_the_session_changes_nothing(client, invoice, changes):
    fields = bank_answer(client, start(client, invoice))

    _refused(client, _signed(fields, **changes), 422)

    invoice.refresh_from_db()
    assert invoice.paid_amount == 0 and not Payment.objects.exists()


def test_an_expired_session_takes_no_notification(client, invoice):
    bank_url = start(client, invoice)
    fields = bank_answer(client, bank_url)
    PaymentSession.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    _refused(client, fields, 409)

    assert services.payment_sessions_expire() == 1
    assert PaymentSession.objects.get().state == PaymentSessionState.EXPIRED
    assert b'data-testid="sandbox-closed"' in client.get(bank_url).content
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0


def test_cancelling_at_the_bank_leaves_the_invoice_to_pay(client, invoice):
    fields = bank_answer(client, start(client, invoice), action="cancel")

    response = client.post(NOTIFY_URL, fields)

    assert response.status_code == 302
    assert PaymentSession.objects.get().state == PaymentSessionState.CANCELLED
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ISSUED
    # a "paid" for the cancelled session, even correctly signed, changes nothing
    _refused(client, _signed(fields, status="paid"), 409)
    assert not Payment.objects.exists()


def test_someone_else_cannot_start_paying_an_invoice_they_may_not_see(client, invoice):
    login(client, UserFactory())

    assert client.get(invoice.get_absolute_url()).status_code == 404
    assert client.post(reverse("payments:invoice-pay", kwargs={"pk": invoice.pk})).status_code == 404
    assert not PaymentSession.objects.exists()


def test_the_sandbox_bank_is_not_there_with_another_gateway(client, invoice, settings):
    bank_url = start(client, invoice)
    settings.PAYMENTS_GATEWAY = "bank-link"

    assert client.get(bank_url).status_code == 404
    assert client.get(reverse("payments:sandbox-bank", kwargs={"session_id": "nonsense"})).status_code == 404


def test_a_notification_for_an_unknown_gateway_is_not_found(client):
    assert client.post(reverse("payments:gateway-notify", kwargs={"code": "nobank"}), {}).status_code == 404


def test_a_partly_paid_invoice_is_paid_online_for_what_is_left(
    client, invoice, django_capture_on_commit_callbacks
):
    services.payment_record(
        actor=None,
        invoice=invoice,
        amount=Decimal("1.27"),
        source="bank_statement",
        source_key="LV00:ref:0",
        paid_on=timezone.localdate(),
    )
    fields = bank_answer(client, start(client, invoice))
    assert fields["amount"] == "3.00"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(NOTIFY_URL, fields)

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.paid_amount == Decimal("4.27")
