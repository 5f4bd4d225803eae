from types import SimpleNamespace

import pytest

from catalogue.demo import load_pilot_catalogue
from catalogue.models import Agency

from .factories import person_user


@pytest.fixture(scope="module")
def _pilot_once(django_db_setup, django_db_blocker):
    """The pilot catalogue loaded once per test module inside an outer transaction (rolled back at
    the module's end), like TestCase.setUpTestData: each test's own transaction is a savepoint in it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_pilot_catalogue()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def pilot(_pilot_once, db):
    return SimpleNamespace(agencies={a.code: a for a in Agency.objects.all()})


@pytest.fixture
def people(pilot):
    """Who asks: None for anonymous, else a user; the staff ones with their real demo-like roles."""
    agencies = pilot.agencies
    return {
        "anonymous": None,
        "citizen": person_user(municipality=agencies["RIGA"]),
        "vsaa_admin": person_user(
            role="agency_admin", agency=agencies["VSAA"], municipality=agencies["RIGA"]
        ),
        "vsaa_staff": person_user(role="agency_staff", agency=agencies["VSAA"]),
        "pmlp_admin": person_user(role="agency_admin", agency=agencies["PMLP"]),
        "platform_admin": person_user(role="platform_admin"),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _english():
    """Messages asserted in English (pages still follow the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
