"""Cases under a delegation: the delegate files and sees only the delegated services' cases."""

import pytest

from delegation import services as delegation_services
from delegation.selectors import principals_forget
from kernel.actors import Actor
from requests_registry import selectors, services
from requests_registry.constants import Basis, Channel
from requests_registry.exceptions import ActorNotAllowed, CaseNotFound

from .factories import VALID_DATA, CaseFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_delegate_files_and_sees_only_delegated_services():
    principal, agent = UserFactory(), UserFactory()
    listed, other = ServiceFactory(), ServiceFactory()
    delegation_services.delegation_grant(
        principal=principal.person, agent=agent.person, actor=Actor(user=principal), services=[listed]
    )

    def file(service):
        return services.case_submit(
            service=service,
            client=principal.person,
            actor=Actor(user=agent, basis=Basis.DELEGATION, channel=Channel.E_SERVICE),
            data=dict(VALID_DATA),
        )

    case = file(listed)
    assert case.basis == Basis.DELEGATION and case.submitted_by == agent
    with pytest.raises(ActorNotAllowed):
        file(other)
    hidden = CaseFactory(client_person=principal.person, service=other)
    assert set(selectors.case_list_for_user(user=agent)) == {case}
    with pytest.raises(CaseNotFound):
        selectors.case_get_for_user(user=agent, number=hidden.number)
    # the principal still sees both
    assert set(selectors.case_list_for_user(user=principal)) == {case, hidden}


def test_delegation_for_every_service_covers_only_delegable_ones():
    principal, agent = UserFactory(), UserFactory()
    delegation = delegation_services.delegation_grant(
        principal=principal.person, agent=agent.person, actor=Actor(user=principal)
    )
    delegable = CaseFactory(client_person=principal.person, service=ServiceFactory(delegable=True))
    CaseFactory(client_person=principal.person, service=ServiceFactory(delegable=False))
    assert set(selectors.case_list_for_user(user=agent)) == {delegable}
    delegation_services.delegation_revoke(delegation=delegation, actor=Actor(user=principal))
    principals_forget(user=agent)  # as on the next request
    assert set(selectors.case_list_for_user(user=agent)) == set()
