"""The demo payees: one for every pilot agency whose services carry a fee, valid, loaded once."""

import pytest

from catalogue.demo import load_pilot_catalogue
from catalogue.models import Service
from payments.demo import load_demo_payees
from payments.models import Payee

pytestmark = pytest.mark.django_db


def test_every_agency_with_a_fee_gets_a_valid_payee_once():
    load_pilot_catalogue()

    assert load_demo_payees() == 3
    assert load_demo_payees() == 0

    with_fee = set(Service.objects.filter(fee_eur__gt=0).values_list("agency__code", flat=True))
    assert with_fee == set(Payee.objects.values_list("agency__code", flat=True)) == {"PMLP", "UR", "VZD"}
    for payee in Payee.objects.all():
        payee.full_clean()
