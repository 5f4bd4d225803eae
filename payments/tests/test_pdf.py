"""The invoice PDF: made by a task after the commit (through the outbox), a WeasyPrint PDF with the
reference, Latvian letters and the EPC QR code; made once."""

import re
import zlib
from decimal import Decimal

import pytest
import segno.helpers

from payments import services
from payments.epc import epc_amount, epc_payload, invoice_epc_payload, invoice_qr_svg
from payments.models import Invoice
from payments.pdf import invoice_pdf_context
from payments.tasks import invoice_pdf_make

pytestmark = pytest.mark.django_db


def _inflated(pdf: bytes) -> bytes:
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


@pytest.fixture
def invoice_with_pdf(case, issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(case)
    invoice.refresh_from_db()
    return invoice


def test_the_task_after_the_commit_writes_a_weasyprint_pdf(invoice_with_pdf):
    invoice = invoice_with_pdf

    assert invoice.pdf.name.startswith(f"invoices/{invoice.payee.agency_id}/")
    with invoice.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    inflated = _inflated(pdf)
    assert b"WeasyPrint" in inflated
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", inflated), "DejaVu Sans embedded"
    assert b"/Subtype /Image" in inflated, "the QR code is embedded as an image"
    # the title (the document's metadata) carries the reference in groups of four
    # (a title with Latvian letters, "Rēķins …", is written as UTF-16, literally or in hex)
    title = invoice.reference_display
    utf16 = title.encode("utf-16-be")
    assert title.encode() in inflated or utf16 in inflated or utf16.hex().encode() in inflated.lower()
    # every character of the reference and the Latvian letters of the payee are drawn from the font
    for char in invoice.reference + "āēīšņ":
        assert re.search(rb"<" + f"{ord(char):04X}".encode() + rb">", inflated, re.I), char


def test_a_second_run_does_nothing(invoice_with_pdf):
    name = invoice_with_pdf.pdf.name

    assert invoice_pdf_make(invoice_with_pdf.pk) is False

    invoice_with_pdf.refresh_from_db()
    assert invoice_with_pdf.pdf.name == name


def test_the_html_of_the_pdf_holds_every_fact(case, issue):
    invoice = Invoice.objects.select_related("case__service", "payee").get(pk=issue(case).pk)
    from django.template.loader import render_to_string

    html = render_to_string("payments/invoice_pdf.html", invoice_pdf_context(invoice))

    for fact in (
        invoice.reference_display,
        case.number,
        "Izziņa no Iedzīvotāju reģistra",
        invoice.payee.legal_name,
        invoice.payee.iban_display,
        "90000055243",
        str(case.client_person),
        "1036",
    ):
        assert fact in html, fact
    assert 'src="data:image/png;base64,' in html


def test_the_epc_payload_has_the_payee_amount_and_reference(case, issue):
    invoice = issue(case)

    payload = invoice_epc_payload(invoice)

    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "TRELLV22",
        invoice.payee.legal_name,
        invoice.payee.iban,
        "EUR4.27",
        "",
        invoice.reference,
    ]
    # the same bytes as segno's own EPC builder would put in the code
    expected = segno.helpers._make_epc_qr_data(
        invoice.payee.legal_name,
        invoice.payee.iban,
        Decimal("4.27"),
        reference=invoice.reference,
        bic="TRELLV22",
        encoding="utf-8",
    )
    assert payload.encode("utf-8") == expected


@pytest.mark.parametrize(("amount", "text"), [("4.27", "EUR4.27"), ("30.00", "EUR30"), ("0.10", "EUR0.1")])
def test_epc_amounts(amount, text):
    assert epc_amount(Decimal(amount)) == text


def test_a_payload_out_of_range_is_refused():
    with pytest.raises(ValueError):
        epc_payload(name="X", iban="LV80BANK0000435195001", amount=Decimal("0"), reference="RF18539007547034")


def test_the_page_qr_is_an_inline_labelled_svg(case, issue):
    svg = invoice_qr_svg(issue(case), label="QR")

    assert svg.startswith('<svg role="img"') and "<title>QR</title>" in svg


def test_a_missing_invoice_fails_the_task_loudly():
    from payments.exceptions import InvoiceNotFound

    with pytest.raises(InvoiceNotFound):
        services.invoice_pdf_generate(invoice_id=999_999)
