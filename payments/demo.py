"""Demo payees and an invoice to pay. Payees: the bank details of the pilot agencies whose services carry a fee (PMLP, UR, VZD).
The registration numbers have valid check digits and the IBANs are valid Treasury-style accounts,
but both are demo values. Safe to run again: a payee that exists is kept as it is (an agency may have
corrected it), a missing one is added; agencies not in the database are skipped."""

from __future__ import annotations

from django.db import transaction

from catalogue.selectors import agency_get_by_code, service_get_published
from kernel.actors import Actor
from requests_registry import services as registry

from .models import Invoice, Payee

TREASURY_BIC = "TRELLV22"

DEMO_PAYEES = {
    "PMLP": {
        "legal_name": "Pilsonības un migrācijas lietu pārvalde",
        "registration_number": "90000055243",
        "iban": "LV48TREL9100100110000",
    },
    "UR": {
        "legal_name": "Latvijas Republikas Uzņēmumu reģistrs",
        "registration_number": "90000270634",
        "iban": "LV92TREL9100200110000",
    },
    "VZD": {
        "legal_name": "Valsts zemes dienests",
        "registration_number": "90000022399",
        "iban": "LV39TREL9100300110000",
    },
}


@transaction.atomic
def load_demo_payees() -> int:
    """Add the missing demo payees; returns how many were added."""
    added = 0
    for code, row in DEMO_PAYEES.items():
        agency = agency_get_by_code(code=code)
        if agency is None:
            continue
        payee = Payee(agency=agency, bic=TREASURY_BIC, **row)
        if not Payee.objects.filter(agency=agency).exists():
            payee.full_clean()
            payee.save()
            added += 1
    return added


DEMO_APPLICATION_1036 = {"statement_kind": "family", "copies": "1", "language": "lv"}


@transaction.atomic
def load_demo_invoices(people: dict) -> int:
    """Anna has applied for a statement from the Population Register (1036, prepayment): her case waits
    for the payment and the invoice is in her e-account, to pay in the sandbox or by transfer. Safe
    to run again (keyed by the case's external reference); returns how many were added."""
    anna = people.get("citizen_parent")
    user = getattr(anna, "user", None)
    service = service_get_published(code="1036")
    ref = "demo:anna-1036-to-pay"
    if user is None or service is None or Invoice.objects.filter(case__external_reference=ref).exists():
        return 0
    registry.case_submit(
        actor=Actor(user=user),
        service=service,
        client=anna,
        data=DEMO_APPLICATION_1036,
        external_reference=ref,
    )
    return 1
