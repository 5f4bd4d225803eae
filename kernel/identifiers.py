"""Latvian identifiers, checked with python-stdnum and kept in one normal form.

The one normaliser for personal codes and registration numbers: the e-form, the register data,
the staff forms and the API all call these.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.lv import pvn


def _compact(value: str) -> str:
    raw = pvn.compact(str(value or ""))
    return raw[2:] if raw.startswith("LV") else raw


def normalise_personal_code(value: str) -> str:
    """Return the code as `DDMMYY-NNNNN` (or `32NNNN-NNNNN`), or raise ValidationError.

    `lv.pvn` also accepts VAT / company numbers (first digit above 3); a personal code is
    refused when it starts with anything else than 0-3. stdnum does not check that an
    old-format code's birth date has already come; we do.
    """
    raw = _compact(value)
    if len(raw) != 11 or not raw.isdigit() or raw[0] > "3":
        raise ValidationError(
            _("Enter a valid Latvian personal code, e.g. 010190-12345."),
            code="invalid_personal_code",
        )
    try:
        pvn.validate(raw)
        if not raw.startswith("32") and pvn.get_birth_date(raw) > timezone.localdate():
            raise StdnumError()
    except StdnumError:
        raise ValidationError(
            _("This personal code is not valid: check the digits."), code="invalid_personal_code"
        ) from None
    return f"{raw[:6]}-{raw[6:]}"


def normalise_registration_number(value: str) -> str:
    """Return a company registration number as 11 digits, or raise ValidationError."""
    raw = _compact(value)
    if len(raw) != 11 or not raw.isdigit() or raw[0] <= "3":
        raise ValidationError(
            _("Enter a valid registration number of 11 digits, e.g. 40003000000."),
            code="invalid_registration_number",
        )
    try:
        pvn.validate(raw)
    except StdnumError:
        raise ValidationError(
            _("This registration number is not valid: check the digits."),
            code="invalid_registration_number",
        ) from None
    return raw


def validate_personal_code(value: str) -> None:
    normalise_personal_code(value)


def validate_registration_number(value: str) -> None:
    normalise_registration_number(value)


def birth_date_from_personal_code(code: str) -> datetime.date | None:
    """The birth date of an old-format code; None for the new `32…` codes that carry none."""
    raw = _compact(code)
    if raw.startswith("32"):
        return None
    try:
        return pvn.get_birth_date(raw)
    except StdnumError:
        return None
