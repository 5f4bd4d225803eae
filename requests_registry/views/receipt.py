"""The receipt of a filed application, as a printable page and as a PDF: for whoever may open the case
page (the client, a legal representative, a delegate for the service) and for the staff of the agency
handling the case (to print it again for the client). Anyone else gets 404, like for a missing case.
Each opening is kept as a read of the case, like opening the case page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kernel.pdf import render_pdf

from .. import selectors, services
from ..exceptions import CaseNotFound
from ._common import citizen_required, staff_actor, staff_required

# the receipt's style in the PDF, given to WeasyPrint apart (our templates hold no inline style: CSP);
# DejaVu Sans has every Latvian letter and is embedded in the PDF
RECEIPT_CSS = """
  @page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #000; }
  a { color: #000; }
  .portal { font-size: 9pt; margin: 0 0 2mm; }
  h1 { font-size: 16pt; margin: 0 0 5mm; }
  h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 0.5pt solid #999; padding-bottom: 1mm; page-break-after: avoid; }
  .facts { display: grid; grid-template-columns: 55mm 1fr; gap: 1.5mm 5mm; margin: 0; }
  .facts dt { font-weight: bold; }
  .facts dd { margin: 0; overflow-wrap: anywhere; }
  .printed { margin-top: 8mm; font-size: 8pt; }
"""


def _context(request, receipt, *, back_url: str, pdf_url: str) -> dict:
    return {
        "receipt": receipt,
        "case_url": request.build_absolute_uri(receipt.case_path),
        "my_cases_url": request.build_absolute_uri(reverse("requests_registry:my-cases")),
        "printed": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
        "back_url": back_url,
        "pdf_url": pdf_url,
    }


def _pdf_response(request, context: dict) -> HttpResponse:
    html = render_to_string("requests_registry/receipt_pdf.html", context, request=request)
    pdf = render_pdf(html, css=RECEIPT_CSS, base_url=settings.BASE_DIR)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kvits-{context["receipt"].number}.pdf"'
    return response


# --- the client and whoever acts for them ----------------------------------------------------------


def _for_user(request, number: str):
    try:
        case, receipt = selectors.case_receipt_for_user(actor=request.actor, number=number)
    except CaseNotFound:
        raise Http404 from None
    services.case_read_by_client_record(actor=request.actor, case=case)
    return _context(
        request,
        receipt,
        back_url=receipt.case_path,
        pdf_url=reverse("requests_registry:case-receipt-pdf", kwargs={"number": case.number}),
    )


@citizen_required
def case_receipt_view(request, number: str):
    return render(request, "requests_registry/receipt.html", _for_user(request, number))


@citizen_required
def case_receipt_pdf_view(request, number: str):
    return _pdf_response(request, _for_user(request, number))


# --- the staff of the agency handling the case -----------------------------------------------------


def _for_staff(request, number: str):
    actor = staff_actor(request)
    try:
        case, receipt = selectors.case_receipt_for_staff(actor=actor, number=number)
    except CaseNotFound:
        raise Http404 from None
    services.case_read_record(actor=actor, case=case)
    return _context(
        request,
        receipt,
        back_url=reverse("requests_registry:agency-case-detail", kwargs={"number": case.number}),
        pdf_url=reverse("requests_registry:agency-case-receipt-pdf", kwargs={"number": case.number}),
    )


@staff_required
def agency_case_receipt_view(request, number: str):
    return render(request, "requests_registry/receipt.html", _for_staff(request, number))


@staff_required
def agency_case_receipt_pdf_view(request, number: str):
    return _pdf_response(request, _for_staff(request, number))
