"""Input and output shapes of the payments API (plain fields; the answers are built by plain functions
below, which the tests check against these serializers, as the case API does)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..constants import InvoiceState, PaymentSource
from ..exceptions import PaymentInvalid
from ..rules import payment_amount_valid

# the shape of a decimal number (the schema's, 400 if not); positive, two decimals at most and the
# upper limit are rules about its value (422), as for the service that records it
AMOUNT_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,9})?$"
# the finance system's own identifier: printable ASCII, no space at either end (as an Idempotency-Key)
PAYMENT_ID_PATTERN = r"^[!-~]([ -~]{0,98}[!-~])?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CENT = Decimal("0.01")

# --- output ------------------------------------------------------------------------------------------


class PaymentOut(serializers.Serializer):
    payment_id = serializers.CharField(
        allow_null=True,
        help_text="Your agency's own payment identifier when the payment was reported through this API; "
        "null for the other sources.",
    )
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, help_text="EUR.")
    source = serializers.ChoiceField(choices=PaymentSource.choices)
    paid_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    reversed = serializers.BooleanField(help_text="The bank took the payment back: it no longer counts.")
    reversed_at = serializers.DateTimeField(allow_null=True)


class InvoiceOut(serializers.Serializer):
    reference = serializers.CharField(help_text="ISO 11649 creditor reference, compact: RF421036000012301.")
    reference_display = serializers.CharField(help_text="The same in groups of four: RF42 1036 0000 1230 1.")
    case_number = serializers.CharField(help_text="The case the invoice is for, e.g. 1036-0000123.")
    service_code = serializers.CharField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, help_text="EUR.")
    paid_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="EUR: the payments that count (not reversed)."
    )
    state = serializers.ChoiceField(choices=InvoiceState.choices)
    due_date = serializers.DateField()
    issued_at = serializers.DateTimeField()
    payee_name = serializers.CharField()
    payee_iban = serializers.CharField()
    payments = PaymentOut(many=True, help_text="Oldest first, reversed ones included.")


def _dt(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _payment_id(payment) -> str | None:
    if payment.source != PaymentSource.AGENCY_API:
        return None
    return payment.source_key.partition(":")[2]  # "<API client id>:<their payment id>"


def payment_out(payment) -> dict:
    return {
        "payment_id": _payment_id(payment),
        "amount": _money(payment.amount),
        "source": payment.source,
        "paid_on": payment.paid_on.isoformat(),
        "recorded_at": _dt(payment.recorded_at),
        "reversed": payment.reversed_at is not None,
        "reversed_at": _dt(payment.reversed_at),
    }


def invoice_out(invoice, payments) -> dict:
    return {
        "reference": invoice.reference,
        "reference_display": invoice.reference_display,
        "case_number": invoice.case.number,
        "service_code": invoice.service_code,
        "amount": _money(invoice.amount),
        "paid_amount": _money(invoice.paid_amount),
        "state": invoice.state,
        "due_date": invoice.due_date.isoformat(),
        "issued_at": _dt(invoice.issued_at),
        "payee_name": invoice.payee.legal_name,
        "payee_iban": invoice.payee.iban,
        "payments": [payment_out(payment) for payment in payments],
    }


# --- input -------------------------------------------------------------------------------------------


class _StrictString:
    """A JSON string and nothing else: DRF's CharField would take a number and turn it into text,
    which the schema (type: string) does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(_StrictString, serializers.CharField):
    default_error_messages = {"invalid": _("Not a valid string.")}


class StrictRegexField(_StrictString, serializers.RegexField):
    default_error_messages = {"invalid": _("This value does not match the required pattern.")}


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN, "example": "2026-03-02"})
class StrictDateField(serializers.DateField):
    """YYYY-MM-DD only (Python's date.fromisoformat would also take 20260302 or 2026-W10-1)."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.match(DATE_PATTERN, value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": AMOUNT_PATTERN,
        "maxLength": 26,
        "example": "4.27",
        "description": "EUR, as a string: positive, at most two decimals, at most 9999999.99 "
        "(a number that breaks these rules answers 422).",
    }
)
class AmountField(serializers.Field):
    """A decimal number written as a JSON string (never a JSON number: no binary floating point)."""

    default_error_messages = {
        "invalid": _('Give the amount in euros as a string, e.g. "12.50".'),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 26 or not re.match(AMOUNT_PATTERN, data):
            self.fail("invalid")
        try:
            return Decimal(data)
        except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
            self.fail("invalid")

    def to_representation(self, value):
        return _money(value)


class PaymentIn(serializers.Serializer):
    payment_id = StrictRegexField(
        PAYMENT_ID_PATTERN,
        max_length=100,
        trim_whitespace=False,
        help_text="Your finance system's own identifier of the payment (1–100 printable ASCII "
        "characters). The same payment_id told again with the same invoice and amount changes "
        "nothing (200); with another invoice or amount it is refused (409).",
    )
    amount = AmountField()
    paid_on = StrictDateField(help_text="The day the money was paid (YYYY-MM-DD), not in the future (422).")
    payer_name = StrictCharField(
        required=False, allow_blank=True, max_length=140, default="", help_text="Who paid, as the bank says."
    )

    def validate(self, attrs):
        # the schema's shape was checked field by field (400); what remains are rules about the values,
        # all reported together (422)
        errors = {}
        if not payment_amount_valid(attrs["amount"]):
            errors["amount"] = [PaymentInvalid.default_message]
        if attrs["paid_on"] > timezone.localdate():
            errors["paid_on"] = [_("The payment date cannot be in the future.")]
        if errors:
            raise PaymentInvalid(errors, message=_("The payment cannot be recorded: see `errors`."))
        attrs["amount"] = attrs["amount"].quantize(CENT)
        return attrs
