"""An agency's bank details for payments (its Payee), kept by the platform admin.

Only a platform admin (a superuser counts) may set them. The IBAN is taken with spaces or in lower
case and kept compact (python-stdnum), the BIC upper-cased, the registration number in its normal form;
the model's validators then check them, the errors on the fields they belong to. One transaction with
its audit event (`{"changed": {field: [old, new]}}`); nothing is written when nothing changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban

import audit.services as audit
from eaccount.selectors import user_is_platform_admin
from kernel.actors import Actor
from kernel.errors import Invalid, PermissionDenied
from kernel.identifiers import normalise_registration_number

from ..models import Payee

PAYEE_FIELDS = ("legal_name", "registration_number", "iban", "bic")


def _is_platform_admin(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user_is_platform_admin(user=user)


def _registration_number(value: str) -> str:
    try:
        return normalise_registration_number(value)
    except ValidationError:
        return value  # full_clean says what is wrong with it


@transaction.atomic
def payee_set(
    *, actor: Actor, agency, legal_name: str, registration_number: str, iban: str, bic: str
) -> Payee:
    """Create or update the agency's payee: platform admins only (PermissionDenied for anyone else);
    Invalid with the fields named when a value is wrong."""
    if not _is_platform_admin(actor.user_or_none):
        raise PermissionDenied(_("Only a platform administrator may set an agency's bank details."))
    values = {
        "legal_name": (legal_name or "").strip(),
        "registration_number": _registration_number((registration_number or "").strip()),
        "iban": stdnum_iban.compact(iban or ""),
        "bic": "".join((bic or "").split()).upper(),
    }
    payee = Payee.objects.select_for_update().filter(agency=agency).first()
    before = {name: getattr(payee, name) for name in PAYEE_FIELDS} if payee is not None else {}
    if payee is None:
        payee = Payee(agency=agency)
    for name, value in values.items():
        setattr(payee, name, value)
    try:
        payee.full_clean(exclude=["agency"])
    except ValidationError as error:
        raise Invalid(field_errors=error.message_dict) from None
    if before:
        changed = {name: [before[name], value] for name, value in values.items() if before[name] != value}
        if not changed:
            return payee
    else:
        changed = {name: [None, value] for name, value in values.items()}
    payee.save()
    audit.record(
        action="payments.payee.set",
        actor=actor,
        target=payee,
        data={"agency": agency.code, "changed": changed},
    )
    return payee
