"""ISO 11649 structured creditor references (`RF…`) for invoices.

The body embeds the service code and identifies the invoice: the case number's digits (service code
of 4 to 6 digits + the case's 7-digit sequence) and the invoice's 2-digit number within the case —
13 to 15 digits, within ISO 11649's 21. Case numbers are unique and of a fixed shape, so the body's
length tells where the service code ends and two invoices never share a body. The check digits are
ISO 7064 mod 97-10 over body + "RF" + "00" (letters as numbers, R = 27, F = 15), as python-stdnum
checks them (`stdnum.iso11649.validate`).
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

from .constants import INVOICE_SEQUENCE_DIGITS, INVOICE_SEQUENCE_MAX

_CASE_NUMBER = re.compile(r"^([0-9]{4,6})-([0-9]{7})$")
BODY_MAX = 21


def rf_body(*, case_number: str, invoice_seq: int) -> str:
    """The digits of the reference's body: service code, case sequence, invoice number."""
    match = _CASE_NUMBER.match(case_number)
    if match is None:
        raise ValueError(f"not a case number: {case_number!r}")
    if not 1 <= invoice_seq <= INVOICE_SEQUENCE_MAX:
        raise ValueError(f"invoice number out of range: {invoice_seq}")
    body = f"{match[1]}{match[2]}{invoice_seq:0{INVOICE_SEQUENCE_DIGITS}d}"
    if len(body) > BODY_MAX:  # cannot happen with the shapes above; never issue a bad reference
        raise ValueError(body)
    return body


def rf_check_digits(body: str) -> str:
    """The two check digits of "RF" + check + body (ISO 7064 mod 97-10)."""
    return mod_97_10.calc_check_digits(body + "RF")


def rf_reference(body: str) -> str:
    """The reference in its compact (electronic) form, e.g. `RF421036000012301`."""
    return f"RF{rf_check_digits(body)}{body}"


def rf_reference_for(*, case_number: str, invoice_seq: int) -> str:
    return rf_reference(rf_body(case_number=case_number, invoice_seq=invoice_seq))


def rf_format(reference: str) -> str:
    """In groups of four for people (paper, screens): `RF42 1036 0000 1230 1`."""
    return iso11649.format(reference)


def rf_is_valid(reference: str) -> bool:
    """Any spacing or case; python-stdnum's check."""
    try:
        iso11649.validate(reference)
    except ValidationError:
        return False
    return True


def rf_compact(reference: str) -> str:
    """Spaces removed, upper case (how it is stored and matched)."""
    return iso11649.compact(reference)
