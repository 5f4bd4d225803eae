"""The payer's pages in the e-account: my invoices, an invoice and its PDF. Thin: the selectors decide
who may see what ("not found" for everyone else) and the rules what the page offers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from delegation.context import current_principal
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.errors import DomainError
from kernel.paginators import WindowCountPaginator

from . import rules, selectors, services
from .constants import PaymentSessionState
from .epc import invoice_qr_svg
from .exceptions import InvoiceNotFound, PaymentSessionNotFound
from .gateways import gateway_get
from .gateways import sandbox as sandbox_gateway

PAGE_SIZE = 20
citizen_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


def _invoice_for_user(request, pk: int):
    try:
        return selectors.invoice_get_for_user(user=request.user, invoice_id=pk)
    except InvoiceNotFound:
        raise Http404 from None


@citizen_required
def invoice_list_view(request):
    principal = current_principal(request)
    invoices = selectors.invoice_list_for_user(user=request.user, principal=principal)
    page = WindowCountPaginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/invoice_list.html", {"principal": principal, "page": page})


@citizen_required
def invoice_detail_view(request, pk: int):
    invoice = _invoice_for_user(request, pk)
    payable = rules.invoice_payable(invoice)
    return render(
        request,
        "payments/invoice_detail.html",
        {
            "invoice": invoice,
            "payable": payable,
            "can_pay_online": rules.payment_session_start_allowed(invoice),
            "payments": selectors.payments_of_invoice(invoice=invoice),
            "qr_svg": invoice_qr_svg(invoice, label=_("QR code for paying in a banking app (EPC)"))
            if payable
            else "",
        },
    )


@citizen_required
def invoice_pdf_view(request, pk: int):
    invoice = _invoice_for_user(request, pk)
    if not invoice.pdf:
        raise Http404  # not made yet: the invoice page says so
    filename = f"rekins-{invoice.reference}.pdf"
    return FileResponse(
        invoice.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@citizen_required
@require_POST
def invoice_pay_view(request, pk: int):
    """Start paying online: a payment session, and off to the gateway (the sandbox bank by default)."""
    invoice = _invoice_for_user(request, pk)
    try:
        _session, url = services.payment_session_start(
            actor=request.actor, invoice=invoice, gateway=gateway_get()
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(invoice)
    return redirect(url)


def _sandbox_session(session_id):
    if sandbox_gateway.SandboxGateway.code != settings.PAYMENTS_GATEWAY:
        raise Http404
    try:
        return selectors.payment_session_for_bank(session_id=session_id)
    except PaymentSessionNotFound:
        raise Http404 from None


def sandbox_bank_view(request, session_id):
    """The sandbox plays the bank: it shows the payment and, on "pay" or "cancel", hands the payer a
    signed notification to take back to the portal (as a bank link does). No money moves."""
    session = _sandbox_session(session_id)
    context = {"session": session, "open": rules.payment_session_completable(session, now=timezone.now())}
    if request.method == "POST" and context["open"]:
        paid = request.POST.get("action") == "pay"
        context["notification"] = sandbox_gateway.notification_fields(
            session_id=str(session.pk),
            reference=session.invoice.reference,
            amount=session.amount,
            paid=paid,
            transaction_id=f"SANDBOX-{session.pk.hex[:12].upper()}",
            on=timezone.localdate(),
        )
        context["paid"] = paid
    return render(request, "payments/sandbox_bank.html", context)


@csrf_exempt  # the bank signs the notification instead (HMAC-SHA256), and it may come without a session
@require_POST
def gateway_notify_view(request, code: str):
    """The gateway's signed notification, brought back by the payer's browser: it changes something
    once and only when it is right; the payer lands on the invoice."""
    try:
        gateway = gateway_get(code)
    except KeyError:
        raise Http404 from None
    try:
        session = services.payment_notification_accept(
            actor=request.actor, gateway=gateway, data=request.POST
        )
    except DomainError as error:
        services.payment_notification_refused(
            actor=request.actor, gateway=gateway, code=error.code, data=request.POST
        )
        return render(request, "payments/payment_refused.html", {"error": error}, status=error.status)
    if session.state == PaymentSessionState.PAID:
        messages.success(request, _("Thank you: the payment has been received."))
    else:
        messages.info(request, _("The payment was cancelled; the invoice is still to be paid."))
    return redirect(session.invoice)
