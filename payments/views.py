"""The payer's pages in the e-account: my invoices, an invoice and its PDF. Thin: the selectors decide
who may see what ("not found" for everyone else) and the rules what the page offers."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from delegation.context import current_principal
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.paginators import WindowCountPaginator

from . import rules, selectors
from .epc import invoice_qr_svg
from .exceptions import InvoiceNotFound

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
