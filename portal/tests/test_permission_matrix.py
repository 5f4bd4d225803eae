"""Who sees a principal's e-account data: every page and download, tried as each relation a user may
have to the principal (issue: "a permission matrix for every page and download").

The principal has a case of a delegable service (with a file the client side submitted), a message
about it with an attachment, and a case result delivered to the e-account. Each user logs in, asks to
act for the principal (a forged choice is ignored: they stay themselves) and opens every page and
download. The object pages and downloads answer 200 or 404 (a 404 exactly like a missing one); the
lists show the principal's items or do not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from catalogue.tests.factories import AgencyFactory
from delegation.models import Delegation
from eaccount.inbox import document_deliver, message_send
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from requests_registry.constants import CaseFileKind
from requests_registry.models import CaseAttachment
from requests_registry.tests.factories import CaseFactory, ServiceFactory, login

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@dataclass
class World:
    service: object
    other_service: object
    principal: object  # a Person or an Organisation
    case: object
    file: object
    message: object
    attachment: object
    result: object


def _world(principal) -> World:
    service = ServiceFactory(agency=AgencyFactory(code="VSAA-M"), delegable=True)
    other_service = ServiceFactory(agency=AgencyFactory(code="PMLP-M"), delegable=True)
    if hasattr(principal, "registration_number"):
        case = CaseFactory(service=service, client_person=None, client_organisation=principal)
    else:
        case = CaseFactory(service=service, client_person=principal)
    file = CaseAttachment(case=case, kind=CaseFileKind.APPLICATION, original_name="iesniegtais.pdf", size=9)
    file.file.save("iesniegtais.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    message = message_send(
        to=principal,
        sender_label="VSAA",
        subject="Ziņa par lietu",
        service_code=service.code,
        case_number=case.number,
        link_url=case.get_absolute_url(),
    )

    def deliver(title, message=None):
        return document_deliver(
            to=principal,
            title=title,
            file=ContentFile(b"%PDF-1.4\n"),
            original_name=f"{title}.pdf",
            issuer_label="VSAA",
            service_code=service.code,
            link_url=case.get_absolute_url(),
            message=message,
        )

    return World(
        service=service,
        other_service=other_service,
        principal=principal,
        case=case,
        file=file,
        message=message,
        attachment=deliver("Pielikums", message),
        result=deliver("Lēmums"),
    )


def _delegate(world: World, *, services, **terms):
    agent = UserFactory()
    delegation = Delegation.objects.create(principal_person=world.principal, agent=agent.person, **terms)
    delegation.services.set(services)
    return agent, delegation


# each scenario: (the user, the principal's world); whether they may see it
def owner():
    user = UserFactory()
    return user, _world(user.person)


def parent_of_a_minor():
    link = ParentChildFactory(parent=UserFactory().person)
    return link.parent.user, _world(link.child)


def parent_of_a_now_adult_child():
    adult = PersonFactory(born=datetime.date(2000, 1, 5))
    link = ParentChildFactory(parent=UserFactory().person, child=adult)
    return link.parent.user, _world(adult)


def board_member():
    membership = BoardMembershipFactory(person=UserFactory().person, organisation=OrganisationFactory())
    return membership.person.user, _world(membership.organisation)


def delegate_for_the_service():
    world = _world(UserFactory().person)
    agent, _d = _delegate(world, services=[world.service])
    return agent, world


def delegate_for_another_service():
    world = _world(UserFactory().person)
    agent, _d = _delegate(world, services=[world.other_service])
    return agent, world


def expired_delegate():
    world = _world(UserFactory().person)
    agent, _d = _delegate(
        world,
        services=[world.service],
        valid_from=YESTERDAY - datetime.timedelta(days=30),
        valid_until=YESTERDAY,
    )
    return agent, world


def revoked_delegate():
    world = _world(UserFactory().person)
    agent, delegation = _delegate(world, services=[world.service])
    delegation.revoked_at = timezone.now()
    delegation.save()
    return agent, world


def stranger():
    return UserFactory(), _world(UserFactory().person)


def official_of_the_agency():
    """An official on the citizen's pages: no reason there to see anyone's data but their own."""
    world = _world(UserFactory().person)
    return StaffRoleFactory(agency=world.service.agency).user, world


SCENARIOS = {
    owner: True,
    parent_of_a_minor: True,
    parent_of_a_now_adult_child: False,
    board_member: True,
    delegate_for_the_service: True,
    delegate_for_another_service: False,
    expired_delegate: False,
    revoked_delegate: False,
    stranger: False,
    official_of_the_agency: False,
}


def _key(party) -> str:
    return f"{'organisation' if hasattr(party, 'registration_number') else 'person'}:{party.pk}"


@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=lambda f: f.__name__)
def test_every_page_and_download(client, scenario):
    allowed = SCENARIOS[scenario]
    user, world = scenario()
    login(client, user)
    # ask to act for the principal (as the header's switch does); a choice not theirs is ignored
    client.post(reverse("delegation:act-for"), {"principal": _key(world.principal)})

    objects = {
        "case page": world.case.get_absolute_url(),
        "receipt": reverse("requests_registry:case-receipt", kwargs={"number": world.case.number}),
        "case file": reverse(
            "requests_registry:case-file",
            kwargs={"number": world.case.number, "attachment_id": world.file.pk},
        ),
        "message page": reverse("eaccount:inbox-message", kwargs={"pk": world.message.pk}),
        "attachment": reverse("eaccount:inbox-document", kwargs={"pk": world.attachment.pk}),
        "result": reverse("eaccount:inbox-document", kwargs={"pk": world.result.pk}),
    }
    for what, url in objects.items():
        status = client.get(url).status_code
        assert status == (200 if allowed else 404), f"{scenario.__name__}: {what} answered {status}"

    lists = {
        "dashboard": (reverse("dashboard"), world.case.number),
        "my cases": (reverse("requests_registry:my-cases"), world.case.number),
        "inbox": (reverse("eaccount:inbox"), "Ziņa par lietu"),
        "documents": (reverse("documents"), "iesniegtais.pdf"),
        "history": (reverse("history"), world.case.number),
        "history CSV": (reverse("history-csv"), world.case.number),
    }
    for what, (url, marker) in lists.items():
        response = client.get(url)
        assert response.status_code == 200, f"{scenario.__name__}: {what} answered {response.status_code}"
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert (marker in body) == allowed, (
            f"{scenario.__name__}: {what} {'lacks' if allowed else 'shows'} it"
        )

    # nothing the user did changed the principal's message (a refused one stays unread)
    world.message.refresh_from_db()
    assert (world.message.read_at is not None) == allowed


def test_a_forged_acting_for_value_leaves_the_user_as_themselves(client):
    user, world = stranger()
    login(client, user)

    response = client.post(reverse("delegation:act-for"), {"principal": "person:abc'; DROP"})

    assert response.status_code in (200, 302, 400)
    assert world.case.number not in client.get(reverse("requests_registry:my-cases")).content.decode()


def test_an_official_of_another_agency_gets_404_on_the_staff_pages(client):
    _user, world = owner()
    official = StaffRoleFactory(agency=world.other_service.agency).user
    login(client, official)

    page = client.get(reverse("requests_registry:agency-case-detail", kwargs={"number": world.case.number}))
    file = client.get(
        reverse(
            "requests_registry:agency-case-file",
            kwargs={"number": world.case.number, "attachment_id": world.file.pk},
        )
    )

    assert page.status_code == 404 and file.status_code == 404
