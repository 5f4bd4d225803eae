"""Payment gateways: the shape a bank link or card gateway implements (`base.Gateway`), and the one
in use (`PAYMENTS_GATEWAY`, default the sandbox that plays the bank)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Gateway, GatewayNotification, PaymentRequest

GATEWAYS = {"sandbox": "payments.gateways.sandbox.SandboxGateway"}


def gateway_get(code: str | None = None) -> Gateway:
    """The gateway with this code (default: the configured one); KeyError for an unknown code."""
    code = code or settings.PAYMENTS_GATEWAY
    return import_string(GATEWAYS[code])()


__all__ = ["GATEWAYS", "Gateway", "GatewayNotification", "PaymentRequest", "gateway_get"]
