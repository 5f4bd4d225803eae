"""Demo payees: the bank details of the pilot agencies whose services carry a fee (PMLP, UR, VZD).
The registration numbers have valid check digits and the IBANs are valid Treasury-style accounts,
but both are demo values. Safe to run again: a payee that exists is kept as it is (an agency may have
corrected it), a missing one is added; agencies not in the database are skipped."""

from __future__ import annotations

from django.db import transaction

from catalogue.selectors import agency_get_by_code

from .models import Payee

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
