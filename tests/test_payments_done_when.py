"""The payments issue's "done when", end to end on the pilot catalogue: applying for "Izziņa no
Iedzīvotāju reģistra" (1036, 4.27 EUR, prepayment) issues an invoice whose RF reference python-stdnum
validates and embeds 1036; its PDF shows Latvian text and its QR code — read off the rendered page,
as a banking app would — is a valid EPC payload with that reference and amount; paying it in the
sandbox marks it paid and moves the case on."""

import io
import re
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from stdnum import iso11649

from catalogue.demo import load_pilot_catalogue
from catalogue.selectors import service_get_published
from kernel.actors import Actor
from payments.constants import InvoiceState
from payments.demo import load_demo_payees
from payments.models import Invoice
from requests_registry import services as registry
from requests_registry.constants import CaseStatus
from requests_registry.tests.factories import UserFactory, login

pytestmark = pytest.mark.django_db

APPLICATION = {"statement_kind": "residence", "copies": "1", "language": "lv"}


@pytest.fixture
def filed(django_capture_on_commit_callbacks):
    load_pilot_catalogue()
    load_demo_payees()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs after the commit
        case = registry.case_submit(
            actor=Actor(user=user),
            service=service_get_published(code="1036"),
            client=user.person,
            data=APPLICATION,
        )
    return user, case, Invoice.objects.get(case=case)


def _page_image(pdf_bytes: bytes):
    document = pypdfium2.PdfDocument(pdf_bytes)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    return text, image


def test_the_invoice_reference_pdf_and_qr_code(filed):
    user, case, invoice = filed

    assert case.status == CaseStatus.AWAITING_PAYMENT
    assert iso11649.is_valid(invoice.reference)
    assert invoice.reference[4:8] == "1036"  # the body starts with the service code
    assert invoice.amount == Decimal("4.27")

    invoice.refresh_from_db()
    with invoice.pdf.open("rb") as f:
        text, image = _page_image(f.read())
    assert "Rēķins" in text and "Iedzīvotāju" in text  # Latvian letters, as text
    assert invoice.reference_display in text

    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1 and codes[0].format == zxingcpp.BarcodeFormat.QRCode
    lines = codes[0].text.split("\n")
    # EPC069-12: service tag, version, encoding (1 = UTF-8), SCT, BIC, name, IBAN, amount, purpose,
    # structured reference, (unstructured text)
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[5] == invoice.payee.legal_name and lines[6] == invoice.payee.iban
    assert lines[7] == "EUR4.27"
    assert lines[9] == invoice.reference and iso11649.is_valid(lines[9])


def test_paying_in_the_sandbox_marks_it_paid_and_moves_the_case_on(
    filed, client, django_capture_on_commit_callbacks
):
    user, case, invoice = filed
    login(client, user)

    bank_url = client.post(reverse("payments:invoice-pay", kwargs={"pk": invoice.pk}))["Location"]
    page = client.post(bank_url, {"action": "pay"}).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:gateway-notify", kwargs={"code": "sandbox"}), fields)

    invoice.refresh_from_db()
    case.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert case.status == CaseStatus.REGISTERED
    # the client sees it paid on the case page and nothing to pay on the dashboard
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-invoice-1"' in case_page and "Apmaksāts" in case_page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert invoice.reference_display not in dashboard


STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>TREL-2026-12-01-001</MsgId><CreDtTm>2026-12-01T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>STMT-2026-12-01</Id><CreDtTm>2026-12-01T18:00:00</CreDtTm>
   <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>2026-12-01</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">104.27</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>2026-12-01</Dt></Dt></Bal>
   <Ntry>
    <NtryRef>2026120100017</NtryRef><Amt Ccy="EUR">4.27</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Nm>Līga Ozola</Nm></Dbtr></RltdPties>
     <RmtInf><Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


def test_importing_a_camt053_that_holds_the_payment_marks_it_paid_once(
    filed, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    _user, case, invoice = filed
    path = tmp_path / "izraksts.xml"
    path.write_text(STATEMENT.format(iban=invoice.payee.iban, reference=invoice.reference_display), "utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_bank_statement", str(path), stdout=io.StringIO())
    invoice.refresh_from_db()
    case.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.paid_amount == Decimal("4.27")
    assert case.status == CaseStatus.REGISTERED

    # the same statement again: nothing changes
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_bank_statement", str(path), stdout=out)
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("4.27") and invoice.payments.count() == 1
    assert case.status_changes.filter(to_status=CaseStatus.REGISTERED).count() == 1
