"""The invoice as a PDF (WeasyPrint through kernel.pdf, DejaVu Sans embedded): payee, payer, service,
case, amount, due date, the RF reference and the EPC QR code. In the payer's language."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from eaccount.selectors import notice_language
from kernel.pdf import render_pdf

from .epc import invoice_epc_payload, invoice_qr_png_data_uri

INVOICE_CSS = """
  @page { size: A4; margin: 18mm 16mm; }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #000; }
  .portal { font-size: 9pt; margin: 0 0 2mm; }
  h1 { font-size: 16pt; margin: 0 0 5mm; }
  h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.5pt solid #999; padding-bottom: 1mm; }
  .facts { display: grid; grid-template-columns: 50mm 1fr; gap: 1.5mm 5mm; margin: 0; }
  .facts dt { font-weight: bold; }
  .facts dd { margin: 0; overflow-wrap: anywhere; }
  .amount { font-size: 13pt; font-weight: bold; }
  .reference { font-family: "DejaVu Sans Mono", monospace; font-size: 12pt; letter-spacing: 0.5pt; }
  .qr { margin-top: 6mm; }
  .qr img { width: 45mm; height: 45mm; }
  .note { font-size: 8.5pt; }
"""


def invoice_pdf_context(invoice) -> dict:
    case = invoice.case
    return {
        "invoice": invoice,
        "case": case,
        "service": case.service,
        "payee": invoice.payee,
        "payer": invoice.payer,
        "issued_on": timezone.localdate(invoice.issued_at),
        "qr_data_uri": invoice_qr_png_data_uri(invoice),
        "epc_payload": invoice_epc_payload(invoice),
    }


def invoice_pdf_render(invoice) -> bytes:
    with translation.override(notice_language(party=invoice.payer)):
        html = render_to_string("payments/invoice_pdf.html", invoice_pdf_context(invoice))
    return render_pdf(html, css=INVOICE_CSS, base_url=settings.BASE_DIR)
