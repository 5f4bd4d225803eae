"""The platform admin keeps agencies and one-stop centres (concept 4.4.1.8): an agency and its payee
(the account its invoices are paid to) are written together or not at all."""

from __future__ import annotations

from django.db import transaction

from catalogue import services as catalogue_services
from kernel.actors import Actor
from payments import services as payments_services


def agency_save(*, actor: Actor, data: dict, bank: dict | None = None, agency=None):
    """Create (no `agency`) or update an agency and, when `bank` is given, set its payee — in one
    transaction: a refused IBAN leaves the agency unchanged too. The catalogue's and payments'
    services check that the actor is a platform admin, validate and audit."""
    with transaction.atomic():
        if agency is None:
            saved = catalogue_services.agency_create(actor=actor, data=data)
        else:
            saved = catalogue_services.agency_update(actor=actor, agency=agency, data=data)
        if bank is not None:
            payments_services.payee_set(actor=actor, agency=saved, **bank)
    return saved
