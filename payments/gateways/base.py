"""What a payment gateway adapter does (after Open Forms' payment plugins): send the payer to the
bank with a payment request, and turn the bank's signed notification back into facts — or refuse it.
The services decide what the facts change; an adapter only speaks the bank's protocol."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class PaymentRequest:
    session_id: str
    reference: str  # the invoice's RF reference, compact
    amount: Decimal
    payee_name: str
    description: str
    notify_url: str  # where the bank sends its signed notification


@dataclass(frozen=True)
class GatewayNotification:
    session_id: str
    reference: str
    amount: Decimal
    paid: bool  # False: the payer cancelled at the bank
    transaction_id: str
    paid_on: datetime.date | None


class Gateway(Protocol):
    code: str
    is_sandbox: bool

    def start_url(self, request: PaymentRequest) -> str:
        """Where to send the payer's browser to pay."""
        ...

    def notification_parse(self, data: Mapping[str, str]) -> GatewayNotification:
        """The bank's notification as facts; `PaymentNotificationInvalid` if its signature or its
        fields are not right (nothing is trusted before the signature is checked)."""
        ...
