"""Contact values of persons and organisations. Phone numbers are parsed with python-phonenumbers (a
number without a country code is Latvian) and kept in international form (E.164, e.g.
`+37121234567`); the audit trail keeps addresses and numbers masked."""

from __future__ import annotations

import hashlib

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_REGION = "LV"
PHONE_INVALID = _("Enter a phone number, e.g. +371 20000000.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
# SMS reaches these kinds of number (a Latvian number starting with 2 is a mobile one)
_SMS_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def normalise_phone(value: str) -> str:
    """The number in E.164 ("" for an empty value); raises ValidationError (code "phone_invalid")
    for one that is not a valid number of any country."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) > 30:
        raise ValidationError(PHONE_INVALID, code="phone_invalid")
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_INVALID, code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    """The model's check: a valid number (a form or service stores it normalised)."""
    normalise_phone(value)


def phone_takes_sms(value: str) -> bool:
    """Can an SMS be sent to this (stored) number: a valid mobile number."""
    if not value:
        return False
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _SMS_TYPES


def phone_display(value: str) -> str:
    """The stored number as people write it (`+371 21 234 567`); an unparsable one as it is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_masked(value: str) -> str:
    """For the audit trail: the country code and the last two digits (`+371******67`)."""
    if not value:
        return ""
    digits = value.lstrip("+")
    keep_start = 3 if value.startswith("+371") else min(2, len(digits))
    if len(digits) <= keep_start + 2:
        return "+" + "*" * len(digits) if value.startswith("+") else "*" * len(digits)
    masked = digits[:keep_start] + "*" * (len(digits) - keep_start - 2) + digits[-2:]
    return ("+" if value.startswith("+") else "") + masked


def email_masked(value: str) -> str:
    """For the audit trail: the first letter of the local part and the domain (`a***@example.lv`)."""
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def confirmation_token_hash(token: str) -> str:
    """What is kept of an e-mail confirmation link's random token: its SHA-256."""
    return hashlib.sha256(str(token).encode()).hexdigest()
