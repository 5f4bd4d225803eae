"""RF references (ISO 11649): valid by python-stdnum, embedding the service code, unique, never reused,
shown in groups of four."""

import random
import re

import pytest
from stdnum import iso11649

from payments import services
from payments.constants import InvoiceKind
from payments.references import rf_body, rf_check_digits, rf_format, rf_is_valid, rf_reference_for
from requests_registry.tests.factories import CaseFactory

from .factories import FeeServiceFactory


def _standard_check_digits(body: str) -> str:
    """ISO 11649 by hand: move "RF00" to the end, letters to numbers (R=27, F=15), 98 - n mod 97."""
    return f"{98 - int(body + '271500') % 97:02d}"


def test_many_generated_references_are_valid_unique_and_embed_the_service_code():
    rng = random.Random(11649)
    seen = set()
    for _ in range(5000):
        code = str(rng.randrange(1000, 999999))
        number = f"{code}-{rng.randrange(0, 10**7):07d}"
        seq = rng.randrange(1, 100)
        if (number, seq) in seen:
            continue
        seen.add((number, seq))

        reference = rf_reference_for(case_number=number, invoice_seq=seq)

        assert iso11649.is_valid(reference), reference
        assert reference[2:4] == _standard_check_digits(reference[4:])
        assert reference[4:].startswith(code)
        assert len(reference[4:]) <= 21 and reference[4:].isdigit()
    bodies = {rf_body(case_number=n, invoice_seq=s) for n, s in seen}
    assert len(bodies) == len(seen)


def test_different_code_lengths_never_share_a_body():
    # "1036-…" and "10360-…" could only collide if the body's length did not tell the code's
    short = rf_body(case_number="1036-0000012", invoice_seq=1)
    longer = rf_body(case_number="10360-0000001", invoice_seq=2)

    assert short != longer and len(short) == 13 and len(longer) == 14


def test_known_reference_and_grouping():
    reference = rf_reference_for(case_number="1036-0000123", invoice_seq=1)

    assert reference == "RF421036000012301"
    assert rf_check_digits("1036000012301") == "42"
    assert rf_format(reference) == "RF42 1036 0000 1230 1"
    assert rf_is_valid("rf42 1036 0000 1230 1")
    assert not rf_is_valid("RF43 1036 0000 1230 1")


@pytest.mark.parametrize(
    ("number", "seq"), [("1036-123", 1), ("ABCD-0000001", 1), ("1036-0000001", 0), ("1036-0000001", 100)]
)
def test_bad_input_makes_no_reference(number, seq):
    with pytest.raises(ValueError):
        rf_reference_for(case_number=number, invoice_seq=seq)


@pytest.mark.django_db
def test_issued_invoices_have_valid_unique_references(system):
    services_ = [FeeServiceFactory(code=code) for code in ("1036", "10360", "103600")]
    invoices = []
    for service in services_:
        for _ in range(15):
            case = CaseFactory(service=service)
            invoices.append(services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT))
            invoices.append(services.invoice_issue(actor=system, case=case, kind=InvoiceKind.POSTPAYMENT))

    references = [i.reference for i in invoices]
    assert len(set(references)) == len(references) == 90
    for invoice in invoices:
        assert iso11649.validate(invoice.reference) == invoice.reference
        assert invoice.reference[4:].startswith(invoice.service_code)
        assert invoice.reference[4:] == invoice.case.number.replace("-", "") + f"{invoice.seq:02d}"
        assert re.fullmatch(r"RF\d\d( \d{4})*( \d{1,4})?", invoice.reference_display)
