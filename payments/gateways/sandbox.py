"""The sandbox gateway: a page of the portal plays the bank (clearly marked, no money moves) and
sends back a notification signed with HMAC-SHA256, as a bank link does (iPizza-style: the signed
fields come back through the payer's browser, so the portal trusts only the signature).

The secret is PAYMENTS_SANDBOX_SECRET (default: derived from SECRET_KEY). Signed fields, in order:
session, reference, amount, status, transaction id, date.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from ..exceptions import PaymentNotificationInvalid
from .base import GatewayNotification, PaymentRequest

FIELDS = ("session", "reference", "amount", "status", "transaction", "date")
STATUSES = {"paid": True, "cancelled": False}


def _secret() -> str:
    configured = getattr(settings, "PAYMENTS_SANDBOX_SECRET", "")
    return configured or salted_hmac("payments.gateways.sandbox", "secret", algorithm="sha256").hexdigest()


def sign(fields: Mapping[str, str], *, secret: str | None = None) -> str:
    message = "\n".join(f"{name}={fields.get(name, '')}" for name in FIELDS).encode()
    return hmac.new((secret or _secret()).encode(), message, hashlib.sha256).hexdigest()


def notification_fields(
    *, session_id: str, reference: str, amount: Decimal, paid: bool, transaction_id: str, on: datetime.date
) -> dict[str, str]:
    """What the sandbox bank sends back: the fields and their signature."""
    fields = {
        "session": session_id,
        "reference": reference,
        "amount": f"{amount:.2f}",
        "status": "paid" if paid else "cancelled",
        "transaction": transaction_id,
        "date": on.isoformat(),
    }
    return fields | {"signature": sign(fields)}


class SandboxGateway:
    code = "sandbox"
    is_sandbox = True

    def start_url(self, request: PaymentRequest) -> str:
        return reverse("payments:sandbox-bank", kwargs={"session_id": request.session_id})

    def notification_parse(self, data: Mapping[str, str]) -> GatewayNotification:
        fields = {name: str(data.get(name, ""))[:100] for name in FIELDS}
        given = str(data.get("signature", ""))
        if not given or not hmac.compare_digest(given.encode(), sign(fields).encode()):
            raise PaymentNotificationInvalid()
        if fields["status"] not in STATUSES or not fields["session"] or not fields["transaction"]:
            raise PaymentNotificationInvalid()
        try:
            amount = Decimal(fields["amount"])
            paid_on = datetime.date.fromisoformat(fields["date"])
        except (InvalidOperation, ValueError):
            raise PaymentNotificationInvalid() from None
        return GatewayNotification(
            session_id=fields["session"],
            reference=fields["reference"],
            amount=amount,
            paid=STATUSES[fields["status"]],
            transaction_id=fields["transaction"],
            paid_on=paid_on,
        )
