"""A revoked role stops working on the holder's next request, without logging them out (Reg. 401
Annex 2: a revocation takes effect at once), whether or not their role facts are cached."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from access_rights import services
from access_rights.services import EntryData
from access_rights.tests.signed_samples import asice_bytes, upload
from catalogue.tests.factories import AgencyFactory
from eaccount import selectors as eaccount_selectors
from eaccount.models import User
from eaccount.tests.factories import StaffRoleFactory, UserFactory
from kernel.actors import Actor
from requests_registry.tests.factories import login

pytestmark = pytest.mark.django_db

AGENCY_CASES = reverse("requests_registry:agency-case-list")
MY_CASES = reverse("requests_registry:my-cases")


def facts_key(user) -> str:
    return eaccount_selectors._role_facts_key(user.pk)


def non_staff_answer() -> int:
    """What the agency's case list answers to a logged-in citizen."""
    client = Client()
    login(client, UserFactory(), "high")
    return client.get(AGENCY_CASES).status_code


@pytest.fixture
def agency():
    return AgencyFactory(code="AGA")


@pytest.fixture
def agency_admin(agency):
    return StaffRoleFactory(kind="agency_admin", agency=agency).user


@pytest.mark.parametrize("cache_state", ["warm", "cold"])
def test_a_revoked_staff_member_loses_the_page_on_their_next_request(
    client, agency, agency_admin, cache_state
):
    role = StaffRoleFactory(kind="agency_staff", agency=agency)
    login(client, role.user, "high")
    assert client.get(AGENCY_CASES).status_code == 200
    if cache_state == "warm":  # the first request filled the role-facts cache
        cached = cache.get(facts_key(role.user))
        assert cached is not None
        assert ("agency_staff", agency.pk, None) in cached[1]
    else:
        cache.clear()

    services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)

    answer = client.get(AGENCY_CASES)
    assert answer.status_code == non_staff_answer() == 404
    # still logged in: only the role is gone
    assert client.session["_auth_user_id"] == str(role.user.pk)
    assert client.get(MY_CASES).status_code == 200


def test_another_role_in_force_keeps_the_page(client, agency, agency_admin):
    role = StaffRoleFactory(kind="agency_staff", agency=agency)
    StaffRoleFactory(user=role.user, kind="agency_staff", agency=AgencyFactory(code="AGB"))
    login(client, role.user, "high")
    assert client.get(AGENCY_CASES).status_code == 200

    services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)

    assert client.get(AGENCY_CASES).status_code == 200


def test_an_admin_revoked_on_the_ministrys_decision_loses_the_page_on_their_next_request(client, agency):
    held = StaffRoleFactory(kind="agency_admin", agency=agency)
    submitter = StaffRoleFactory(kind="agency_admin", agency=agency).user
    ministry = StaffRoleFactory(kind="platform_admin").user
    request = services.access_request_submit(
        actor=Actor(user=submitter),
        agency=agency,
        entries=[
            EntryData(action="revoke", kind="agency_admin", personal_code=held.user.person.personal_code)
        ],
        document=upload("pieprasijums.asice", asice_bytes()),
    )
    login(client, held.user, "high")
    assert client.get(AGENCY_CASES).status_code == 200
    assert cache.get(facts_key(held.user)) is not None

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    assert client.get(AGENCY_CASES).status_code == 404


def test_a_granted_role_works_on_the_next_request_too(client, agency, agency_admin):
    user = UserFactory()
    login(client, user, "high")
    assert client.get(AGENCY_CASES).status_code == 404  # the cache now says: no roles

    services.staff_grant(
        actor=Actor(user=agency_admin),
        personal_code=user.person.personal_code,
        kind="agency_staff",
        agency=agency,
        permanent=True,
    )

    assert client.get(AGENCY_CASES).status_code == 200


# BUG (reported to the lead): the role facts are forgotten inside the revoking transaction, before
# it commits; a request of the holder in that moment reads the still-committed role and caches it
# again, and the revoked role then works for up to ROLE_FACTS_SECONDS. Drop this marker when the
# forgetting (also) happens on commit.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_during_the_revocation_does_not_keep_the_role_cached(agency):
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("needs a second connection reading while the first writes (PostgreSQL)")
    admin = StaffRoleFactory(kind="agency_admin", agency=agency).user
    role = StaffRoleFactory(kind="agency_staff", agency=agency)
    seen = []

    def holders_request():  # the holder clicks while the revocation is being written
        try:
            seen.append(eaccount_selectors.staff_role_facts(user=User.objects.get(pk=role.user_id)))
        finally:
            connections.close_all()

    with transaction.atomic():
        services.staff_revoke(actor=Actor(user=admin), role_id=role.pk)
        reader = threading.Thread(target=holders_request)
        reader.start()
        reader.join(timeout=30)
    assert seen == [(("agency_staff", agency.pk, None),)]  # not committed yet: the role still held

    # the holder's next request, after the revocation committed
    assert eaccount_selectors.staff_role_facts(user=User.objects.get(pk=role.user_id)) == ()
