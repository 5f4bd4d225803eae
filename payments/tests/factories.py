"""Factories of the payments (invoices are made through services.invoice_issue in the tests).

payee = PayeeFactory(agency=service.agency)
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import factory
from stdnum import iban as stdnum_iban

from catalogue.tests.factories import AgencyFactory
from payments.models import Payee
from requests_registry.tests.factories import ServiceFactory

_accounts = itertools.count(1)


def iban_next() -> str:
    body = f"TREL{next(_accounts) % 10**13:013d}"
    return f"LV{stdnum_iban.calc_check_digits('LV00' + body)}{body}"


class PayeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payee
        django_get_or_create = ("agency",)

    agency = factory.SubFactory(AgencyFactory)
    legal_name = factory.LazyAttribute(lambda o: f"Iestāde {o.agency.code} — Valsts kase")
    registration_number = "90000055243"
    iban = factory.LazyFunction(iban_next)
    bic = "TRELLV22"


def FeeServiceFactory(fee: str = "4.27", **kwargs):  # noqa: N802 - used like a factory
    """A published service with a fee (prepayment unless `payment_mode` says) and its agency's payee."""
    kwargs.setdefault("payment_mode", "prepayment")
    service = ServiceFactory(fee_eur=Decimal(fee), **kwargs)
    PayeeFactory(agency=service.agency)
    return service
