"""Reads of the payments and who may see what: an invoice is seen by whoever may see its case — the
client, a legal representative, a delegate for that service (requests_registry's rule, reused as a
subquery) — and "not found" for everyone else, exactly like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet

from requests_registry.selectors import case_list_for_user

from .exceptions import InvoiceNotFound
from .models import Invoice


def _visible_case_ids(*, user, principal=None):
    return case_list_for_user(user=user, principal=principal).order_by().values("pk")


def invoice_list_for_user(*, user, principal=None) -> QuerySet[Invoice]:
    """The invoices of the cases the user may see (of one `principal` of theirs when given), newest
    first; one query with the case (its number) and service code."""
    return (
        Invoice.objects.filter(case__in=_visible_case_ids(user=user, principal=principal))
        .select_related("case")
        .order_by("-issued_at", "-id")
    )


def invoice_get_for_user(*, user, invoice_id) -> Invoice:
    """One invoice with what its page shows (one query); InvoiceNotFound for the others alike."""
    try:
        invoice_id = int(invoice_id)
    except (TypeError, ValueError):
        raise InvoiceNotFound() from None
    invoice = (
        Invoice.objects.filter(pk=invoice_id, case__in=_visible_case_ids(user=user))
        .select_related("case", "case__service", "payee", "payer_person", "payer_organisation")
        .first()
    )
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


def invoice_list_for_case(*, case) -> list[Invoice]:
    """A case's invoices (for the case page, later): the case was checked by whoever passes it."""
    return list(Invoice.objects.filter(case_id=case.pk).order_by("seq"))
