"""The payments API for the payee agencies' finance systems (concept 4.4.2.4): read an invoice with
its payments, report a payment received outside the portal.

Thin: validate the input, call one selector or service, shape the answer. Only an API client of the
payee agency sees an invoice; any other client, a malformed reference and a wrong check digit get
the same 404 as an unknown reference.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.views import APIView

from api_clients.api.authentication import ApiClientAuthentication, api_actor
from api_clients.api.idempotency import idempotency_parameter, idempotent_call
from api_clients.api.openapi import problem_responses
from api_clients.api.permissions import ApiClientOnly, api_client_of

from .. import selectors, services
from ..constants import PaymentSource
from .serializers import InvoiceOut, PaymentIn, invoice_out

PROBLEMS = {
    400: "The request does not match this schema (problem details with `errors`), or the "
    "Idempotency-Key header is missing or malformed.",
    401: "No or an invalid API key (a person's session is not a credential here).",
    403: "Authenticated, but not an API client.",
    404: "No invoice with this reference payable to your agency: unknown, another agency's, or not a "
    "valid RF reference (a wrong check digit) — the same answer for all.",
    409: "The invoice takes no payments (cancelled or refunded); this payment_id was already "
    "recorded with another invoice or amount; or a request with this Idempotency-Key is still in "
    "progress (with Retry-After).",
    413: "The request body is too large.",
    422: "Well-formed but refused by a rule: the amount is not positive, has more than two decimals "
    "or is too large, the payment date is in the future (`errors` says which), or the "
    "Idempotency-Key was used with another request.",
}


def _problems(*codes: int) -> dict:
    return problem_responses({code: PROBLEMS[code] for code in codes})


IDEMPOTENCY_PARAMETER = idempotency_parameter()

REFERENCE_PARAMETER = OpenApiParameter(
    name="reference",
    type=str,
    location=OpenApiParameter.PATH,
    description=(
        "The invoice's ISO 11649 creditor reference, compact (RF421036000012301) or in groups "
        "(RF42 1036 0000 1230 1, URL-encoded), in any case."
    ),
)


class PaymentsApiView(APIView):
    # a bearer key only: a person's session is no credential for the finance systems' API (401)
    authentication_classes = [ApiClientAuthentication]
    permission_classes = [ApiClientOnly]


class InvoiceDetailView(PaymentsApiView):
    @extend_schema(
        operation_id="invoices_retrieve",
        summary="An invoice with its payments",
        description="An invoice payable to your agency: its amount, what was paid, its state and "
        "every payment recorded on it, from any source.",
        parameters=[REFERENCE_PARAMETER],
        responses={200: InvoiceOut, **_problems(401, 403, 404)},
        tags=["payments"],
    )
    def get(self, request, reference: str):
        invoice = selectors.invoice_get_for_api_client(api_client=api_client_of(request), reference=reference)
        return Response(invoice_out(invoice, selectors.payments_of_invoice(invoice=invoice)))


class InvoicePaymentView(PaymentsApiView):
    @extend_schema(
        operation_id="invoices_payments_create",
        summary="Report a payment received",
        description=(
            "Records a payment your finance system received for the invoice (e.g. at the agency's "
            "cash desk or on its account), once: the invoice becomes paid, partly paid or overpaid "
            "and a prepaid case goes on. `payment_id` is your own identifier: telling the same "
            "payment again (even under another Idempotency-Key) with the same invoice and amount "
            "changes nothing and answers 200; with another invoice or amount, 409. "
            "Requires the Idempotency-Key header (400 without it)."
        ),
        request=PaymentIn,
        parameters=[REFERENCE_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={
            201: OpenApiResponse(InvoiceOut, description="Recorded; the invoice with its payments."),
            200: OpenApiResponse(
                InvoiceOut,
                description="This payment_id was already recorded with the same invoice and amount: "
                "nothing changed; the invoice with its payments.",
            ),
            **_problems(400, 401, 403, 404, 409, 413, 422),
        },
        tags=["payments"],
    )
    def post(self, request, reference: str):
        payload = PaymentIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        client = api_client_of(request)

        def record():
            invoice = selectors.invoice_get_for_api_client(api_client=client, reference=reference)
            recorded = services.payment_record(
                actor=api_actor(request),
                invoice=invoice,
                amount=data["amount"],
                source=PaymentSource.AGENCY_API,
                source_key=f"{client.pk}:{data['payment_id']}",
                paid_on=data["paid_on"],
                payer_name=data["payer_name"],
            )
            # read again: a replay (created=False) leaves the instance as it was read before the lock
            invoice = selectors.invoice_get_for_api_client(api_client=client, reference=reference)
            body = invoice_out(invoice, selectors.payments_of_invoice(invoice=invoice))
            return Response(body, status=http.HTTP_201_CREATED if recorded.created else http.HTTP_200_OK)

        return idempotent_call(view=self, request=request, payload=request.data, handler=record)
