"""The finance staff's pages: the payee agency's staff upload statements and resolve what did not
match; another agency's staff and citizens get "not found" (and a POST of theirs changes nothing);
form errors are on the page; the lists take a fixed number of queries."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kernel.actors import Actor
from payments.constants import InvoiceKind, InvoiceState
from payments.models import BankStatement, BankTransaction, Invoice, Payee, Payment
from payments.services import statements
from payments.tests.statements import build
from payments.tests.statements.build import IBAN, document, entry, tx
from requests_registry.tests.factories import AgencyFactory, CaseFactory, UserFactory, login, staff_of

from .factories import FeeServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payee(fee_service):
    payee = Payee.objects.get(agency=fee_service.agency)
    payee.iban = IBAN
    payee.save()
    return payee


@pytest.fixture
def invoices(fee_service, payee, system):
    from payments import services

    return {
        n: services.invoice_issue(
            actor=system,
            case=CaseFactory(service=fee_service, number=f"1036-{n:07d}"),
            kind=InvoiceKind.PREPAYMENT,
        )
        for n in range(1, 11)
    }


@pytest.fixture
def finance(payee):
    return staff_of(payee.agency)


@pytest.fixture
def other_finance():
    """Staff of another agency that has a payee (and finance pages) of its own."""
    other = FeeServiceFactory(code="1040", agency=AgencyFactory(code="VSAA"))
    return staff_of(other.agency)


@pytest.fixture
def citizen():
    return UserFactory()


@pytest.fixture
def imported(invoices):
    return import_sample("swedbank_camt053_v02.xml")


def import_sample(name, **kwargs):
    return statements.bank_statement_import(
        actor=Actor.system("tests"), file=io.BytesIO(build.path(name).read_bytes()), file_name=name, **kwargs
    )


def upload(name, data=None):
    return SimpleUploadedFile(name, data if data is not None else build.path(name).read_bytes(), "text/xml")


def unmatched(statement) -> BankTransaction:
    return statement.transactions.get(entry_reference="2026113000817204")  # 7.50, no reference


def url(name, **kwargs):
    return reverse(f"payments:{name}", kwargs=kwargs)


def snapshot():
    return (
        list(Invoice.objects.order_by("pk").values_list("state", "paid_amount")),
        list(BankTransaction.objects.order_by("pk").values_list("outcome", "invoice_id", "note")),
        Payment.objects.count(),
        BankStatement.objects.count(),
    )


# --- uploading -------------------------------------------------------------------------------------


def test_the_payees_staff_upload_a_statement_and_see_its_report(client, finance, invoices):
    login(client, finance)

    page = client.get(url("finance-statement-upload"))
    response = client.post(url("finance-statement-upload"), {"file": upload("swedbank_camt053_v02.xml")})

    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    statement = BankStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "finance-statement-detail", pk=statement.pk
    )
    assert statement.imported_by == finance and statement.file_name == "swedbank_camt053_v02.xml"
    assert Invoice.objects.get(pk=invoices[1].pk).state == InvoiceState.PAID
    report = client.get(response["Location"])
    body = report.content.decode()
    assert report.status_code == 200 and "SWED20261130-0001" in body and "ANNA BĒRZIŅA" in body


@pytest.mark.parametrize(
    "name",
    [
        "bad_not_xml.csv",
        "bad_external_entity.xml",
        "bad_billion_laughs.xml",
        "bad_unknown_namespace.xml",
        "other_account_camt053_v02.xml",
    ],
)
def test_a_refused_file_is_an_error_on_the_form_and_nothing_is_stored(client, finance, invoices, name):
    login(client, finance)

    response = client.post(url("finance-statement-upload"), {"file": upload(name)})

    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error-summary"' in body and 'href="#id_file"' in body and 'id="id_file_error"' in body
    assert not BankStatement.objects.exists() and not Payment.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, finance, invoices, monkeypatch):
    monkeypatch.setattr("payments.forms_finance.BANK_STATEMENT_MAX_BYTES", 100)
    login(client, finance)

    response = client.post(url("finance-statement-upload"), {"file": upload("swedbank_camt053_v02.xml")})

    assert response.status_code == 400 and 'id="id_file_error"' in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_file_is_required(client, finance, payee):
    login(client, finance)

    response = client.post(url("finance-statement-upload"), {})

    assert response.status_code == 400 and 'href="#id_file"' in response.content.decode()


def test_the_upload_cannot_name_another_agencys_payee(client, finance, other_finance, invoices):
    other_payee = Payee.objects.get(agency__code="VSAA")
    login(client, finance)

    response = client.post(
        url("finance-statement-upload"), {"file": upload("swedbank_camt053_v02.xml"), "payee": other_payee.pk}
    )

    assert response.status_code == 400
    assert not BankStatement.objects.exists()


# --- who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other agency's staff", "citizen", "staff of an agency without a payee"])
def test_everyone_but_the_payees_staff_gets_not_found(
    client, imported, invoices, other_finance, citizen, who
):
    user = {
        "other agency's staff": other_finance,
        "citizen": citizen,
        "staff of an agency without a payee": staff_of(AgencyFactory(code="LVRTC")),
    }[who]
    row = unmatched(imported)
    invoices[3].refresh_from_db()
    login(client, user)

    pages = [
        url("finance-statement-detail", pk=imported.pk),
        url("finance-transaction", pk=row.pk),
    ]
    if who != "other agency's staff":  # they have pages of their own, without our rows
        pages += [
            url("finance-statements"),
            url("finance-statement-upload"),
            url("finance-unmatched"),
            url("finance-overpaid"),
        ]

    assert [client.get(page).status_code for page in pages] == [404] * len(pages)


@pytest.mark.parametrize("who", ["other agency's staff", "citizen"])
def test_a_post_by_anyone_but_the_payees_staff_is_refused_and_changes_nothing(
    client, imported, invoices, other_finance, citizen, who
):
    login(client, other_finance if who == "other agency's staff" else citizen)
    row = unmatched(imported)
    before = snapshot()

    responses = [
        client.post(url("finance-transaction-assign", pk=row.pk), {"reference": invoices[7].reference}),
        client.post(url("finance-transaction-not-ours", pk=row.pk), {"note": "returned"}),
        client.post(
            url("finance-overpaid-settle", pk=invoices[3].pk), {f"invoice-{invoices[3].pk}-note": "x"}
        ),
        client.post(url("finance-statement-upload"), {"file": upload("seb_camt053_v08.xml")}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404 if who == "citizen" else 422]
    assert snapshot() == before


def test_the_other_agencys_lists_do_not_show_our_rows(client, imported, other_finance):
    login(client, other_finance)

    bodies = [
        client.get(url(name)).content.decode()
        for name in ("finance-statements", "finance-unmatched", "finance-overpaid")
    ]

    assert all("SWED20261130" not in body and "Jānis Ozols" not in body for body in bodies)
    assert "RF62 1036" not in bodies[2]


def test_an_anonymous_visitor_is_sent_to_log_in(client, imported):
    response = client.get(url("finance-statements"))

    assert response.status_code == 302 and "login" in response["Location"]


# --- resolving ---------------------------------------------------------------------------------------


def test_an_unmatched_credit_is_assigned_by_its_invoices_reference(client, finance, imported, invoices):
    login(client, finance)
    row = unmatched(imported)

    page = client.get(url("finance-transaction", pk=row.pk))
    response = client.post(
        url("finance-transaction-assign", pk=row.pk), {"reference": invoices[7].reference_display.lower()}
    )

    assert page.status_code == 200 and 'id="id_reference"' in page.content.decode()
    assert response.status_code == 302 and response["Location"] == url("finance-unmatched")
    row.refresh_from_db()
    assert (row.outcome, row.invoice_id, row.resolved_by) == ("assigned", invoices[7].pk, finance)
    invoice = Invoice.objects.get(pk=invoices[7].pk)
    assert (invoice.state, invoice.paid_amount) == (InvoiceState.OVERPAID, Decimal("7.50"))


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("RF00 1234", "This is not a valid RF payment reference: check it against the invoice."),
        (
            "RF219999000000101",
            "None of your agency's invoices has this payment reference.",
        ),  # no such invoice
    ],
)
def test_a_wrong_reference_is_an_error_on_the_form(client, finance, imported, invoices, reference, message):
    login(client, finance)
    row = unmatched(imported)
    before = snapshot()

    response = client.post(url("finance-transaction-assign", pk=row.pk), {"reference": reference})

    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("lv"):  # the page is in Latvian
        shown = escape(translation.gettext(message))
    assert shown in body and 'href="#id_reference"' in body
    assert snapshot() == before


def test_another_agencys_invoice_cannot_be_named(client, finance, imported, other_finance, system):
    from payments import services

    other_invoice = services.invoice_issue(
        actor=system, case=CaseFactory(service=FeeServiceFactory(code="1040")), kind=InvoiceKind.PREPAYMENT
    )
    login(client, finance)
    row = unmatched(imported)

    response = client.post(
        url("finance-transaction-assign", pk=row.pk), {"reference": other_invoice.reference}
    )

    assert response.status_code == 400
    assert Invoice.objects.get(pk=other_invoice.pk).paid_amount == 0


def test_a_matched_transaction_offers_nothing_and_a_post_is_refused(client, finance, imported, invoices):
    login(client, finance)
    paid = imported.transactions.get(entry_reference="2026113000817201")
    before = snapshot()

    page = client.get(url("finance-transaction", pk=paid.pk))
    assign = client.post(url("finance-transaction-assign", pk=paid.pk), {"reference": invoices[7].reference})
    not_ours = client.post(url("finance-transaction-not-ours", pk=paid.pk), {"note": "x"})

    assert "finance-transaction-assign" not in page.content.decode()
    assert url("finance-transaction-assign", pk=paid.pk) not in page.content.decode()
    assert (assign.status_code, not_ours.status_code) == (409, 409)
    assert snapshot() == before


def test_a_credit_is_marked_not_ours_with_a_note(client, finance, imported):
    login(client, finance)
    row = unmatched(imported)

    empty = client.post(url("finance-transaction-not-ours", pk=row.pk), {"note": ""})
    response = client.post(url("finance-transaction-not-ours", pk=row.pk), {"note": "Atgriezts maksātājam"})

    assert empty.status_code == 400 and 'href="#id_note"' in empty.content.decode()
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.outcome, row.note) == ("not_ours", "Atgriezts maksātājam")
    assert (
        client.get(url("finance-unmatched")).content.decode().count(url("finance-transaction", pk=row.pk))
        == 0
    )


def test_the_excess_of_an_overpaid_invoice_is_returned(client, finance, imported, invoices):
    login(client, finance)
    invoice = invoices[3]

    listing = client.get(url("finance-overpaid"))
    empty = client.post(url("finance-overpaid-settle", pk=invoice.pk), {f"invoice-{invoice.pk}-note": ""})
    response = client.post(
        url("finance-overpaid-settle", pk=invoice.pk), {f"invoice-{invoice.pk}-note": "Atmaksāts 5,73 EUR"}
    )

    body = listing.content.decode()
    assert (
        listing.status_code == 200 and invoice.reference_display in body and "5,73&nbsp;EUR" in body
    )  # the excess
    assert empty.status_code == 400 and f'href="#id_invoice-{invoice.pk}-note"' in empty.content.decode()
    assert response.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.PAID
    again = client.post(
        url("finance-overpaid-settle", pk=invoice.pk), {f"invoice-{invoice.pk}-note": "again"}
    )
    assert again.status_code == 409


# --- the lists' queries ----------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_lists_take_a_fixed_number_of_queries(client, finance, invoices):
    login(client, finance)
    client.get(url("finance-statements"))  # the session and the roles, read once
    import_sample("swedbank_camt053_v02.xml")
    first = import_sample("seb_camt053_v08.xml")
    few = {
        name: _queries(client, path)
        for name, path in [
            ("statements", url("finance-statements")),
            ("unmatched", url("finance-unmatched")),
            ("overpaid", url("finance-overpaid")),
            ("statement", url("finance-statement-detail", pk=first.pk)),
        ]
    }
    more = [entry(svcr_ref=f"M{n}", details=[tx("9.99", ref=invoices[n].reference)]) for n in (8, 9, 10)]
    more += [entry("1.00", svcr_ref=f"U{n}", details=[tx("1.00", debtor=f"Payer {n}")]) for n in range(5)]
    statements.bank_statement_import(
        actor=Actor.system("tests"), file=io.BytesIO(document(more)), file_name="more.xml"
    )
    import_sample("luminor_camt054_v04.xml")

    many = {
        "statements": _queries(client, url("finance-statements")),
        "unmatched": _queries(client, url("finance-unmatched")),
        "overpaid": _queries(client, url("finance-overpaid")),
        "statement": _queries(
            client, url("finance-statement-detail", pk=BankStatement.objects.latest("pk").pk - 1)
        ),
    }

    assert many == few
    assert BankTransaction.objects.filter(outcome="unmatched").count() > 5
    assert Invoice.objects.filter(state=InvoiceState.OVERPAID).count() == 4
