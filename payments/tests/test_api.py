"""The payments API over HTTP (agencies' finance systems): reading an invoice, reporting payments once,
agency scoping ("not found" for the others), idempotency, bad input, fixed query counts, the schema.
Runs on SQLite and PostgreSQL."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api_clients import services as api_client_services
from api_clients.models import IdempotencyRecord
from audit.models import AuditEvent
from eaccount.tests.factories import PersonFactory
from payments import services
from payments.api.serializers import InvoiceOut
from payments.constants import InvoiceState, PaymentSource
from payments.models import Invoice, Payment
from payments.references import rf_format, rf_reference
from requests_registry.tests.factories import AgencyFactory, CaseFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


# --- fixtures and helpers ----------------------------------------------------------------------------


def _api(key: str | None = None) -> APIClient:
    api = APIClient()
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


@pytest.fixture(autouse=True)
def _no_key_cache(settings):
    settings.API_CLIENT_CACHE_SECONDS = 0  # every request authenticates with one query: counts are exact


@pytest.fixture
def pmlp(fee_service):
    """The finance system of PMLP, the payee of the invoice."""
    return _api(api_client_services.api_client_create(agency=fee_service.agency, name="PMLP finance").key)


@pytest.fixture
def vsaa(db):
    """Another agency's system."""
    return _api(
        api_client_services.api_client_create(agency=AgencyFactory(code="VSAA"), name="VSAA finance").key
    )


@pytest.fixture
def invoice(case, issue):
    return issue(case)  # 4.27 EUR, payable to PMLP


def _url(reference: str) -> str:
    return f"/api/v1/invoices/{reference}/"


def _pay(api, reference, body, key: str | None = "k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return api.post(f"{_url(reference)}payments/", payload, content_type="application/json", **headers)


def _payment(amount="4.27", payment_id="FIN-1", paid_on=None, **extra) -> dict:
    return {
        "payment_id": payment_id,
        "amount": amount,
        "paid_on": (paid_on or timezone.localdate()).isoformat(),
        **extra,
    }


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def _snapshot(invoice: Invoice):
    invoice.refresh_from_db()
    payments = list(
        Payment.objects.filter(invoice=invoice).values_list("source_key", "amount", "reversed_at")
    )
    return invoice.state, invoice.paid_amount, invoice.updated_at, payments


# --- reading -----------------------------------------------------------------------------------------


def test_the_payee_agency_reads_its_invoice(invoice, pmlp):
    response = pmlp.get(_url(invoice.reference))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "reference": invoice.reference,
        "reference_display": rf_format(invoice.reference),
        "case_number": invoice.case.number,
        "service_code": "1036",
        "amount": "4.27",
        "paid_amount": "0.00",
        "state": "issued",
        "due_date": invoice.due_date.isoformat(),
        "issued_at": body["issued_at"],
        "payee_name": invoice.payee.legal_name,
        "payee_iban": invoice.payee.iban,
        "payments": [],
    }
    issued_at = datetime.datetime.fromisoformat(body["issued_at"].replace("Z", "+00:00"))
    assert issued_at == invoice.issued_at


@pytest.mark.parametrize("spelling", ["display", "lower", "lower-display"])
def test_the_reference_may_be_written_with_spaces_and_in_any_case(invoice, pmlp, spelling):
    reference = {
        "display": rf_format(invoice.reference),
        "lower": invoice.reference.lower(),
        "lower-display": rf_format(invoice.reference).lower(),
    }[spelling]

    response = pmlp.get(_url(reference))

    assert response.status_code == 200
    assert response.json()["reference"] == invoice.reference


def test_the_answers_match_the_documented_shapes(invoice, pmlp):
    _pay(pmlp, invoice.reference, _payment("1.00"))

    body = pmlp.get(_url(invoice.reference)).json()

    assert set(body) == set(InvoiceOut().fields)
    assert set(body["payments"][0]) == set(InvoiceOut().fields["payments"].child.fields)


def test_the_payments_are_listed_oldest_first_with_their_source(invoice, pmlp, system):
    _pay(pmlp, invoice.reference, _payment("1.00", payment_id="FIN-1"), key="a")
    services.payment_record(
        actor=system,
        invoice=invoice,
        amount=Decimal("2.00"),
        source=PaymentSource.BANK_STATEMENT,
        source_key="LV00TREL:entry-1:0",
        paid_on=timezone.localdate(),
    )
    first = Payment.objects.get(source=PaymentSource.AGENCY_API)
    services.payment_reverse(actor=system, payment=first, reason="returned by the bank")

    payments = pmlp.get(_url(invoice.reference)).json()["payments"]

    assert [(p["payment_id"], p["amount"], p["source"], p["reversed"]) for p in payments] == [
        ("FIN-1", "1.00", "agency_api", True),
        (None, "2.00", "bank_statement", False),
    ]
    assert payments[0]["reversed_at"] is not None and payments[1]["reversed_at"] is None
    assert payments[0]["paid_on"] == timezone.localdate().isoformat()


# --- another agency, bad references: the same 404 ----------------------------------------------------


def test_another_agencys_client_gets_404_reading_and_paying_and_nothing_changes(invoice, pmlp, vsaa):
    unknown = rf_reference("103600000990199")
    before = _snapshot(invoice)

    read = _assert_problem(vsaa.get(_url(invoice.reference)), 404)
    paid = _assert_problem(_pay(vsaa, invoice.reference, _payment()), 404)

    assert (
        read == _assert_problem(vsaa.get(_url(unknown)), 404) == _assert_problem(pmlp.get(_url(unknown)), 404)
    )
    assert paid == read
    assert _snapshot(invoice) == before
    assert not Payment.objects.exists()


def _wrong_check_digits(reference: str) -> str:
    check = int(reference[2:4])
    return f"RF{(check + 1) % 97 or 2:02d}{reference[4:]}"


@pytest.mark.parametrize(
    "make",
    [
        _wrong_check_digits,
        lambda ref: ref[:-1] + str((int(ref[-1]) + 1) % 10),  # one digit of the body changed
        lambda ref: "RF00",
        lambda ref: "abc",
        lambda ref: "1036-0000001",
        lambda ref: ref + "0" * 30,
        lambda ref: "x" * 5000,
        lambda ref: "%27%20OR%201=1--",
        lambda ref: "RF18%00" + ref[4:],
        lambda ref: "99999999999999999999999",
        lambda ref: rf_reference("123456789012345678901"),  # valid, but no invoice has it
    ],
)
def test_bad_or_unknown_references_are_404_problems(invoice, pmlp, make):
    reference = make(invoice.reference)
    before = _snapshot(invoice)

    read = pmlp.get(_url(reference))
    paid = _pay(pmlp, reference, _payment(), key=f"bad-{len(reference)}")

    for response in (read, paid):
        assert response.status_code == 404
        assert response["Content-Type"].startswith(PROBLEM)
    assert _snapshot(invoice) == before


# --- reporting a payment -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, state, paid",
    [
        ("4.27", InvoiceState.PAID, "4.27"),
        ("4.2", InvoiceState.PARTLY_PAID, "4.20"),
        ("1", InvoiceState.PARTLY_PAID, "1.00"),
        ("10.00", InvoiceState.OVERPAID, "10.00"),
    ],
)
def test_a_reported_payment_is_recorded_and_the_invoice_state_follows(invoice, pmlp, amount, state, paid):
    response = _pay(pmlp, invoice.reference, _payment(amount, payment_id="FIN-77", payer_name="Anna Bērziņa"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["paid_amount"]) == (state, paid)
    assert [(p["payment_id"], p["amount"], p["source"]) for p in body["payments"]] == [
        ("FIN-77", paid, "agency_api")
    ]
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_amount) == (state, Decimal(paid))
    payment = Payment.objects.get()
    client_id = IdempotencyRecord.objects.get().client_id
    assert (payment.source, payment.source_key) == (PaymentSource.AGENCY_API, f"{client_id}:FIN-77")
    assert payment.payer_name == "Anna Bērziņa" and payment.paid_on == timezone.localdate()
    event = AuditEvent.objects.get(action="payment.record", object_id=str(invoice.pk))
    assert event.data["source"] == "agency_api" and event.data["amount"] == paid


def test_a_retry_with_the_same_key_and_body_replays_the_answer_and_records_once(invoice, pmlp):
    first = _pay(pmlp, invoice.reference, _payment("2.00"), key="pay-1")
    before = _snapshot(invoice)

    again = _pay(pmlp, invoice.reference, _payment("2.00"), key="pay-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert _snapshot(invoice) == before
    assert Payment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(invoice, pmlp):
    _pay(pmlp, invoice.reference, _payment("2.00"), key="pay-1")
    before = _snapshot(invoice)

    reused = _pay(pmlp, invoice.reference, _payment("3.00", payment_id="FIN-2"), key="pay-1")

    assert _assert_problem(reused, 422)["type"] == "urn:pspp:problem:idempotency-key-reused"
    assert _snapshot(invoice) == before


def test_the_same_payment_under_another_key_changes_nothing_and_answers_200(invoice, pmlp):
    first = _pay(pmlp, invoice.reference, _payment("2.00", payment_id="FIN-9"), key="pay-1")
    before = _snapshot(invoice)

    again = _pay(pmlp, invoice.reference, _payment("2.00", payment_id="FIN-9"), key="pay-2")

    assert again.status_code == 200, again.content
    assert "Idempotent-Replayed" not in again
    assert again.json() == first.json()
    assert _snapshot(invoice) == before
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("changed", ["amount", "invoice"])
def test_the_same_payment_id_with_another_amount_or_invoice_is_a_409(
    invoice, pmlp, fee_service, issue, changed
):
    _pay(pmlp, invoice.reference, _payment("2.00", payment_id="FIN-9"), key="pay-1")
    other = issue(CaseFactory(service=fee_service, client_person=PersonFactory()))
    before = _snapshot(invoice), _snapshot(other)
    reference = other.reference if changed == "invoice" else invoice.reference
    amount = "3.00" if changed == "amount" else "2.00"

    conflict = _pay(pmlp, reference, _payment(amount, payment_id="FIN-9"), key="pay-2")

    assert _assert_problem(conflict, 409)["type"] == "urn:pspp:problem:payment-conflict"
    assert (_snapshot(invoice), _snapshot(other)) == before
    assert Payment.objects.count() == 1


def test_a_payment_on_a_cancelled_invoice_is_a_409(invoice, pmlp, system):
    services.invoice_cancel(actor=system, invoice=invoice, reason="withdrawn")
    before = _snapshot(invoice)

    refused = _pay(pmlp, invoice.reference, _payment())

    assert _assert_problem(refused, 409)["type"] == "urn:pspp:problem:invoice-not-payable"
    assert _snapshot(invoice) == before
    # the refusal is this key's answer: replayed as such
    assert _pay(pmlp, invoice.reference, _payment()).json() == refused.json()


def test_another_client_of_the_payee_agency_sees_and_pays_too(invoice, fee_service, pmlp):
    cash_desk = _api(api_client_services.api_client_create(agency=fee_service.agency, name="PMLP cash").key)

    response = _pay(cash_desk, invoice.reference, _payment("4.27"))

    assert response.status_code == 201
    assert pmlp.get(_url(invoice.reference)).json()["state"] == "paid"


# --- refused input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, fields",
    [
        (_payment("4.275"), {"amount"}),
        (_payment("-1.00"), {"amount"}),
        (_payment("0"), {"amount"}),
        (_payment("0.00"), {"amount"}),
        (_payment("10000000.00"), {"amount"}),
        (_payment(paid_on=datetime.date(2999, 1, 1)), {"paid_on"}),
        (_payment("-1", paid_on=datetime.date(2999, 1, 1)), {"amount", "paid_on"}),
    ],
)
def test_amounts_and_dates_that_break_the_rules_are_422_problems(invoice, pmlp, body, fields):
    before = _snapshot(invoice)

    problem = _assert_problem(_pay(pmlp, invoice.reference, body), 422)

    assert problem["type"] == "urn:pspp:problem:payment-invalid"
    assert set(problem["errors"]) == fields
    assert _snapshot(invoice) == before
    assert not IdempotencyRecord.objects.exists()  # a refused request takes no key


def test_a_payment_dated_tomorrow_is_refused(invoice, pmlp):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    _assert_problem(_pay(pmlp, invoice.reference, _payment(paid_on=tomorrow)), 422)

    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"amount": "1.00", "paid_on": "2026-01-02"}, "payment_id"),
        (_payment(payment_id=""), "payment_id"),
        (_payment(payment_id=" FIN-1"), "payment_id"),
        (_payment(payment_id="x" * 101), "payment_id"),
        (_payment(payment_id=17), "payment_id"),
        (_payment(amount=4.27), "amount"),
        (_payment(amount="4,27"), "amount"),
        (_payment(amount="1e3"), "amount"),
        (_payment(amount="NaN"), "amount"),
        (_payment(amount="Infinity"), "amount"),
        (_payment(amount=""), "amount"),
        (_payment(amount=None), "amount"),
        (_payment(amount="1" * 40), "amount"),
        ({**_payment(), "paid_on": "02.01.2026"}, "paid_on"),
        ({**_payment(), "paid_on": "20260102"}, "paid_on"),
        ({**_payment(), "paid_on": "2026-02-30"}, "paid_on"),
        ({**_payment(), "paid_on": 20260102}, "paid_on"),
        (_payment(payer_name="x" * 141), "payer_name"),
        (_payment(payer_name=["Anna"]), "payer_name"),
    ],
)
def test_requests_that_do_not_match_the_schema_are_400_problems(invoice, pmlp, body, field):
    before = _snapshot(invoice)

    problem = _assert_problem(_pay(pmlp, invoice.reference, body), 400)

    assert field in problem["errors"]
    assert _snapshot(invoice) == before
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("key", [None, "", " ", "ā", "x" * 256])
def test_a_payment_without_a_valid_idempotency_key_is_refused(invoice, pmlp, key):
    before = _snapshot(invoice)

    problem = _assert_problem(_pay(pmlp, invoice.reference, _payment(), key=key), 400)

    assert problem["type"] == "urn:pspp:problem:idempotency-key-missing"
    assert _snapshot(invoice) == before


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[1, 2]",
        "null",
        "\x00",
        json.dumps(_payment(payer_name="Anna\x00")),
        json.dumps(_payment(payment_id="FIN\x00")),
        '{"payment_id": "FIN-1", "amount": "1.00", "paid_on": "2026-01-02", "payer_name": "\\ud800"}',
    ],
)
def test_malformed_json_nul_bytes_and_lone_surrogates_are_4xx(invoice, pmlp, payload):
    before = _snapshot(invoice)

    response = _pay(pmlp, invoice.reference, payload)

    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith(PROBLEM)
    assert _snapshot(invoice) == before


def test_a_huge_body_is_refused_without_error(invoice, pmlp):
    before = _snapshot(invoice)

    response = _pay(pmlp, invoice.reference, _payment(payer_name="x" * 3_000_000))

    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith(PROBLEM)
    assert _snapshot(invoice) == before


def test_a_form_post_is_refused(invoice, pmlp):
    response = pmlp.post(
        f"{_url(invoice.reference)}payments/", _payment(), format="multipart", HTTP_IDEMPOTENCY_KEY="k"
    )

    _assert_problem(response, 415)
    assert not Payment.objects.exists()


# --- who may call ------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer abc.def", "Token x"])
def test_no_or_a_bad_key_is_a_401_problem(invoice, header):
    api = APIClient()
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    before = _snapshot(invoice)

    for response in (api.get(_url(invoice.reference)), _pay(api, invoice.reference, _payment())):
        _assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert _snapshot(invoice) == before


def test_the_payer_with_their_session_gets_nothing_here(invoice, owner):
    citizen = APIClient()
    citizen.force_login(owner)
    before = _snapshot(invoice)

    _assert_problem(citizen.get(_url(invoice.reference)), 401)
    _assert_problem(_pay(citizen, invoice.reference, _payment()), 401)

    assert _snapshot(invoice) == before


def test_a_deactivated_client_is_refused(invoice, fee_service):
    credentials = api_client_services.api_client_create(agency=fee_service.agency, name="Old system")
    api_client_services.api_client_deactivate(client=credentials.client)

    _assert_problem(_api(credentials.key).get(_url(invoice.reference)), 401)


# --- a fixed number of queries -----------------------------------------------------------------------


def _count(call) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    return response.status_code, len(ctx.captured_queries)


def test_reading_runs_a_fixed_number_of_queries(invoice, pmlp, system):
    small = _count(lambda: pmlp.get(_url(invoice.reference)))
    for n in range(10):
        services.payment_record(
            actor=system,
            invoice=invoice,
            amount=Decimal("0.10"),
            source=PaymentSource.BANK_STATEMENT,
            source_key=f"entry-{n}",
            paid_on=timezone.localdate(),
        )

    large = _count(lambda: pmlp.get(_url(invoice.reference)))

    assert small == large == (200, 3)  # the key, the invoice (with its case and payee), its payments


def test_reporting_runs_a_fixed_number_of_queries(invoice, pmlp, system):
    first = _count(lambda: _pay(pmlp, invoice.reference, _payment("0.10", payment_id="FIN-0"), key="q-0"))
    for n in range(10):
        services.payment_record(
            actor=system,
            invoice=invoice,
            amount=Decimal("0.10"),
            source=PaymentSource.BANK_STATEMENT,
            source_key=f"entry-{n}",
            paid_on=timezone.localdate(),
        )

    later = _count(lambda: _pay(pmlp, invoice.reference, _payment("0.10", payment_id="FIN-1"), key="q-1"))
    replay = _count(lambda: _pay(pmlp, invoice.reference, _payment("0.10", payment_id="FIN-1"), key="q-2"))

    assert first[0] == later[0] == 201 and replay[0] == 200
    assert first[1] == later[1]
    assert replay[1] < later[1]


# --- the OpenAPI schema ------------------------------------------------------------------------------


def test_the_schema_documents_the_payments_api(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    read = paths["/api/v1/invoices/{reference}/"]["get"]
    post = paths["/api/v1/invoices/{reference}/payments/"]["post"]
    assert read["tags"] == post["tags"] == ["payments"]
    assert read["security"] == post["security"] == [{"apiClientKey": []}]
    assert read["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvoiceOut"
    }
    assert PROBLEM in read["responses"]["404"]["content"]
    assert {"200", "201", "400", "401", "404", "409", "413", "422"} <= set(post["responses"])
    for status in ("400", "404", "409", "422"):
        assert PROBLEM in post["responses"][status]["content"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaymentIn"
    }
    header = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    payment_in = schema["components"]["schemas"]["PaymentIn"]
    assert set(payment_in["required"]) == {"payment_id", "amount", "paid_on"}
    assert payment_in["properties"]["amount"]["type"] == "string"
    assert set(schema["components"]["schemas"]["InvoiceOut"]["properties"]) == set(InvoiceOut().fields)
