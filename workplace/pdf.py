"""The workplace's printed documents, with WeasyPrint: the written authorisation of an authorised
e-service in two copies (Reg. 401 point 22.1.3: one for the centre's archive, one for the client) and
the client's receipt with the planned completion date (point 22.1.6)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from kernel.pdf import render_pdf

# given to WeasyPrint apart (our templates hold no inline style: CSP); DejaVu Sans has every Latvian
# letter and is embedded in the PDF
CSS = """
  @page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #000; }
  .copy { page-break-after: always; }
  .copy:last-child { page-break-after: auto; }
  .copy-label { font-size: 9pt; font-weight: bold; border: 0.5pt solid #000; padding: 1mm 2mm; display: inline-block; }
  .portal { font-size: 9pt; margin: 0 0 2mm; }
  h1 { font-size: 15pt; margin: 3mm 0 4mm; }
  h2 { font-size: 11pt; margin: 6mm 0 2mm; border-bottom: 0.5pt solid #999; padding-bottom: 1mm; }
  .facts { display: grid; grid-template-columns: 55mm 1fr; gap: 1.5mm 5mm; margin: 0; }
  .facts dt { font-weight: bold; }
  .facts dd { margin: 0; overflow-wrap: anywhere; }
  .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-top: 14mm; }
  .signature { border-top: 0.5pt solid #000; padding-top: 1mm; font-size: 9pt; }
  .printed { margin-top: 8mm; font-size: 8pt; }
"""


def _pdf(template: str, context: dict, request=None) -> bytes:
    context = {**context, "printed": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}
    html = render_to_string(template, context, request=request)
    return render_pdf(html, css=CSS, base_url=settings.BASE_DIR)


def authorisation_pdf(*, filing, request=None) -> bytes:
    """The written authorisation twice, each copy on its own page and marked whose it is."""
    return _pdf("workplace/authorisation_pdf.html", {"filing": filing}, request)


def receipt_pdf(*, filing, request=None) -> bytes:
    return _pdf("workplace/receipt_pdf.html", {"filing": filing, "case": filing.case}, request)
