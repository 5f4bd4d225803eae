"""Delegations: given by the principal or its representative, for listed services and a period,
revocable; the delegate acts only within them (filing and seeing cases)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.tests.factories import ServiceFactory
from delegation import services
from delegation.constants import Basis
from delegation.models import Delegation
from delegation.selectors import basis_for, principals_for, principals_forget
from eaccount.tests.factories import BoardMembershipFactory, PersonFactory, UserFactory
from kernel.actors import Actor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def fresh(user):
    """The user with principals_for's per-request memory dropped (as on a new request)."""
    principals_forget(user=user)
    return user


def login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()


@pytest.fixture
def setup():
    principal = UserFactory()
    agent = UserFactory()
    listed, other = ServiceFactory(), ServiceFactory()
    delegation = services.delegation_grant(
        principal=principal.person, agent=agent.person, actor=Actor(user=principal), services=[listed]
    )
    return principal, agent, listed, other, delegation


def test_delegate_acts_only_for_listed_services(setup):
    principal, agent, listed, other, _delegation = setup

    delegated = [p for p in principals_for(user=agent) if p.basis == Basis.DELEGATION]
    assert [(p.id, p.service_codes) for p in delegated] == [(principal.person.pk, frozenset({listed.code}))]
    assert basis_for(user=agent, client=principal.person, service=listed) == Basis.DELEGATION
    assert basis_for(user=agent, client=principal.person, service=other) is None
    assert basis_for(user=agent, client=principal.person, service=ServiceFactory(delegable=False)) is None
    assert AuditEvent.objects.filter(action="delegation.grant").count() == 1


def test_revoked_or_expired_delegation_gives_nothing(setup):
    principal, agent, listed, _other, delegation = setup
    services.delegation_revoke(delegation=delegation, actor=Actor(user=principal))
    services.delegation_revoke(delegation=delegation, actor=Actor(user=principal))  # twice: no change
    assert basis_for(user=fresh(agent), client=principal.person) is None
    assert AuditEvent.objects.filter(action="delegation.revoke").count() == 1
    Delegation.objects.create(
        principal_person=principal.person,
        agent=agent.person,
        valid_from=TODAY() - datetime.timedelta(days=10),
        valid_until=TODAY() - datetime.timedelta(days=1),
    )
    assert not [p for p in principals_for(user=fresh(agent)) if p.basis == Basis.DELEGATION]


def test_only_principal_or_representative_may_delegate_and_revoke(setup):
    principal, agent, _listed, _other, delegation = setup
    with pytest.raises(ValidationError):  # the delegate cannot pass it on
        services.delegation_grant(principal=principal.person, agent=PersonFactory(), actor=Actor(user=agent))
    with pytest.raises(ValidationError):
        services.delegation_revoke(delegation=delegation, actor=Actor(user=agent))
    with pytest.raises(ValidationError):  # not to oneself, not into the past
        services.delegation_grant(
            principal=principal.person, agent=principal.person, actor=Actor(user=principal)
        )
    with pytest.raises(ValidationError):
        services.delegation_grant(
            principal=principal.person,
            agent=PersonFactory(),
            actor=Actor(user=principal),
            valid_from=TODAY() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.delegation_grant(
            principal=principal.person,
            agent=PersonFactory(),
            actor=Actor(user=principal),
            services=[ServiceFactory(delegable=False)],
        )
    # a board member delegates for the company
    membership = BoardMembershipFactory()
    member = UserFactory(person=membership.person)
    company_delegation = services.delegation_grant(
        principal=membership.organisation, agent=agent.person, actor=Actor(user=member)
    )
    assert company_delegation.principal == membership.organisation


def test_delegations_page_grant_and_revoke(client):
    principal = UserFactory()
    agent = PersonFactory()
    service = ServiceFactory()
    login(client, principal)
    url = reverse("delegation:delegations")
    assert client.get(url).status_code == 200

    bad = client.post(url, {"personal_code": "010101-00000", "first_name": "A", "last_name": "B"})
    assert bad.status_code == 400 and 'class="error-summary"' in bad.content.decode()
    response = client.post(
        url,
        {
            "personal_code": agent.personal_code,
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "services": [service.code],
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.agent == agent and list(delegation.services.all()) == [service]

    stranger = UserFactory()
    login(client, stranger)
    assert (
        client.post(reverse("delegation:delegation-revoke", kwargs={"pk": delegation.pk})).status_code == 404
    )
    login(client, principal)
    assert (
        client.post(reverse("delegation:delegation-revoke", kwargs={"pk": delegation.pk})).status_code == 302
    )
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


# --- hidden actions: a delegate does not pass a delegation on, nor end the principal's ------------


def test_a_delegate_acting_for_the_principal_cannot_delegate_further(client, setup):
    principal, agent, listed, _other, _delegation = setup
    login(client, agent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{principal.person.pk}"})
    third = PersonFactory()
    page = client.get(reverse("delegation:delegations"))
    assert not page.context["can_delegate"]
    before = Delegation.objects.count()

    client.post(
        reverse("delegation:delegations"),
        {
            "personal_code": third.personal_code,
            "first_name": third.first_name,
            "last_name": third.last_name,
            "services": [listed.code],
            "valid_until": "",
        },
    )

    assert Delegation.objects.count() == before
    assert not Delegation.objects.filter(agent=third).exists()


def test_a_delegate_cannot_revoke_the_delegation_they_hold(client, setup):
    principal, agent, _listed, _other, delegation = setup
    login(client, agent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{principal.person.pk}"})

    response = client.post(reverse("delegation:delegation-revoke", kwargs={"pk": delegation.pk}))

    assert response.status_code == 404
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
