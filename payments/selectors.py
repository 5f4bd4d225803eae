"""Reads of the payments and who may see what: an invoice is seen by whoever may see its case — the
client, a legal representative, a delegate for that service (requests_registry's rule, reused as a
join condition) — and "not found" for everyone else, exactly like a missing one."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Window

from kernel.parties import is_person
from requests_registry.selectors import case_condition_for_user

from .constants import PAYABLE_STATES, SETTLED_STATES
from .exceptions import InvoiceNotFound, PaymentSessionNotFound
from .models import Invoice, Payment, PaymentSession
from .references import rf_compact, rf_is_valid


def _visible(*, user, principal=None) -> QuerySet[Invoice]:
    """The invoices of the cases the user may see (`case_list_for_user`'s rule), by a join."""
    condition = case_condition_for_user(user=user, principal=principal, via="case__")
    return Invoice.objects.none() if condition is None else Invoice.objects.filter(condition)


def invoice_list_for_user(*, user, principal=None) -> QuerySet[Invoice]:
    """The invoices of the cases the user may see (of one `principal` of theirs when given), newest
    first; one query with the case (its number) and service code."""
    return _visible(user=user, principal=principal).select_related("case").order_by("-issued_at", "-id")


def invoices_to_pay_for_user(*, user, principal=None) -> QuerySet[Invoice]:
    """What is still to pay (issued, partly paid, overdue), soonest due first, with the case and
    service the dashboard names."""
    return (
        invoice_list_for_user(user=user, principal=principal)
        .filter(state__in=PAYABLE_STATES)
        .select_related("case__service")
        .order_by("due_date", "id")
    )


def invoice_get_for_user(*, user, invoice_id) -> Invoice:
    """One invoice with what its page shows (one query); InvoiceNotFound for the others alike."""
    try:
        invoice_id = int(invoice_id)
    except (TypeError, ValueError):
        raise InvoiceNotFound() from None
    invoice = (
        _visible(user=user)
        .filter(pk=invoice_id)
        .select_related("case", "case__service", "payee", "payer_person", "payer_organisation")
        .first()
    )
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


def payment_session_for_bank(*, session_id) -> PaymentSession:
    """The session the sandbox bank shows (its id is the capability, as at a real bank)."""
    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        raise PaymentSessionNotFound() from None
    session = PaymentSession.objects.filter(pk=key).select_related("invoice", "invoice__payee").first()
    if session is None:
        raise PaymentSessionNotFound()
    return session


def payments_of_invoice(*, invoice) -> list[Payment]:
    """The payments on an invoice the caller may see (checked by whoever passes it), oldest first:
    one query, the columns the pages and the API show."""
    return list(
        Payment.objects.filter(invoice_id=invoice.pk)
        .only("id", "invoice_id", "amount", "source", "source_key", "paid_on", "recorded_at", "reversed_at")
        .order_by("recorded_at", "id")
    )


def invoice_list_for_case(*, case) -> list[Invoice]:
    """A case's invoices (for the case page, later): the case was checked by whoever passes it."""
    return list(Invoice.objects.filter(case_id=case.pk).order_by("seq"))


def invoices_of_client(
    *, party, agency_ids: Collection[int] | None = None, limit: int = 20
) -> tuple[list[Invoice], int]:
    """The invoices `party` is the payer of, newest first, each with its case's number and
    `is_paid` (paid in full or more: `SETTLED_STATES`); only those of the cases of `agency_ids`'
    services when given (an agency's staff). For an official's profile of the client: whoever calls
    it has decided the official may see the client. `(the newest `limit`, how many in all)`: one
    query (COUNT(*) OVER ())."""
    payer = {"payer_person_id": party.pk} if is_person(party) else {"payer_organisation_id": party.pk}
    qs = Invoice.objects.filter(**payer)
    if agency_ids is not None:
        qs = qs.filter(case__agency_id__in=sorted(agency_ids))
    qs = (
        qs.select_related("case")
        .only(
            "id",
            "seq",
            "service_code",
            "amount",
            "paid_amount",
            "kind",
            "state",
            "reference",
            "issued_at",
            "due_date",
            "case",
            "case__id",
            "case__number",
            "case__agency_id",
        )
        .annotate(
            is_paid=ExpressionWrapper(Q(state__in=sorted(SETTLED_STATES)), output_field=BooleanField()),
            profile_total=Window(Count("pk")),
        )
        .order_by("-issued_at", "-id")
    )
    rows = list(qs[:limit])
    return rows, (rows[0].profile_total if rows else 0)


# --- the payments API (agencies' finance systems) ------------------------------------------------


# what the API answers with: the invoice's own columns, its case's number and its payee's name and
# account (not the case's data, which may be 64 kB)
_API_INVOICE_FIELDS = (
    "id",
    "case_id",
    "payee_id",
    "reference",
    "service_code",
    "amount",
    "paid_amount",
    "state",
    "due_date",
    "issued_at",
    "case__number",
    "payee__agency_id",
    "payee__legal_name",
    "payee__iban",
)
# no reference is longer (ISO 11649: 25 characters compact); spaces between its groups are allowed
_API_REFERENCE_MAX = 64


def invoice_get_for_api_client(*, api_client, reference: str) -> Invoice:
    """The invoice with this RF reference (any spacing, any case) if it is payable to the API client's
    agency. One query. InvoiceNotFound alike for a malformed reference, a wrong check digit, no such
    invoice and another agency's invoice: the client learns nothing of others' invoices."""
    if not isinstance(reference, str) or len(reference) > _API_REFERENCE_MAX or not rf_is_valid(reference):
        raise InvoiceNotFound()
    invoice = (
        Invoice.objects.filter(reference=rf_compact(reference), payee__agency_id=api_client.agency_id)
        .select_related("case", "payee")
        .only(*_API_INVOICE_FIELDS)
        .first()
    )
    if invoice is None:
        raise InvoiceNotFound()
    return invoice
