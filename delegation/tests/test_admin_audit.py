"""Delegations in the Django admin: there to look at, with no door around delegation.services (which
check who may grant and revoke, and write the audit trail)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from delegation import services
from delegation.models import Delegation
from eaccount.tests.factories import PersonFactory, UserFactory
from kernel.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def delegation():
    principal = UserFactory()
    return services.delegation_grant(
        actor=Actor(user=principal), principal=principal.person, agent=PersonFactory()
    )


def test_a_superuser_sees_delegations_in_the_admin(admin_client, delegation):
    listing = admin_client.get(reverse("admin:delegation_delegation_changelist"))
    page = admin_client.get(reverse("admin:delegation_delegation_change", args=[delegation.pk]))

    assert listing.status_code == 200
    assert str(delegation.agent) in listing.content.decode()
    assert 'value="delete_selected"' not in listing.content.decode()
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url, data, status",
    [
        (lambda d: reverse("admin:delegation_delegation_add"), lambda d: {"agent": d.agent_id}, 403),
        (
            lambda d: reverse("admin:delegation_delegation_change", args=[d.pk]),
            lambda d: {"agent": d.agent_id, "valid_until": "2099-01-01", "revoked_at_0": "2026-01-01"},
            403,
        ),
        (
            lambda d: reverse("admin:delegation_delegation_delete", args=[d.pk]),
            lambda d: {"post": "yes"},
            403,
        ),
        (  # no such action here: the list comes back with the error
            lambda d: reverse("admin:delegation_delegation_changelist"),
            lambda d: {"action": "delete_selected", "_selected_action": [d.pk], "post": "yes"},
            200,
        ),
    ],
    ids=["add", "change", "delete", "delete selected"],
)
def test_the_admin_offers_no_door_around_the_delegation_services(admin_client, delegation, url, data, status):
    # given a delegation granted through the service (one audit event)
    before = Delegation.objects.values().get(pk=delegation.pk)

    # when even a superuser posts to one of the admin's write pages
    response = admin_client.post(url(delegation), data(delegation))

    # then nothing is written: the delegation is as it was, and there is no other delegation or event
    assert response.status_code == status
    assert list(Delegation.objects.values()) == [before]
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["delegation.grant"]
