from datetime import date

import pytest
from django.core import mail

from catalogue.tests.factories import ServiceFactory
from delegation.models import Delegation
from eaccount.models import Message
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
)
from notifications import services
from notifications.models import Notification
from notifications.topics import MissingPlaceholder

from .factories import person_choosing

pytestmark = pytest.mark.django_db

CONTEXT = {"number": "1011-0000001", "service": "Pabalsts", "status": "Reģistrēts", "note": ""}


def _notify(party, key="k-1", **kwargs):
    kwargs.setdefault("topic", "case_status_changed")
    kwargs.setdefault("context", CONTEXT)
    return services.notify(party=party, dedupe_key=key, **kwargs)


def _channels(key="k-1"):
    return sorted(
        Notification.objects.filter(dedupe_key=key).values_list("recipient_key", "channel", "state")
    )


def test_a_person_gets_the_e_account_copy_and_the_e_mail_they_chose(django_capture_on_commit_callbacks):
    person = person_choosing(by_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(person)

    assert {n.channel for n in created} == {"e_account", "email"}
    assert _channels() == [
        (f"person:{person.pk}", "e_account", "delivered"),
        (f"person:{person.pk}", "email", "delivered"),
    ]
    message = Message.objects.get(source_key="k-1")
    assert message.subject == "Lieta 1011-0000001: Reģistrēts"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    assert mail.outbox[0].subject == message.subject


def test_the_same_dedupe_key_never_sends_twice(django_capture_on_commit_callbacks):
    person = person_choosing(by_email=True, by_sms=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(person)
        second = _notify(person)

    assert len(first) == 3 and second == []
    assert Notification.objects.count() == 3 and Message.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_person_without_contact_data_gets_only_the_e_account_copy(django_capture_on_commit_callbacks):
    person = person_choosing(by_email=True, by_sms=True, email="", phone="")

    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(person)

    assert [n.channel for n in created] == ["e_account"]
    assert Message.objects.filter(source_key="k-1").count() == 1 and mail.outbox == []


def test_sms_chosen_and_no_e_mail_goes_to_the_e_account_and_sms_only(
    settings, django_capture_on_commit_callbacks
):
    person = person_choosing(by_email=False, by_sms=True)

    with django_capture_on_commit_callbacks(execute=True):
        _notify(person)

    assert [c for _r, c, _s in _channels()] == ["e_account", "sms"]
    sent = list(settings.SMS_FILE_PATH.iterdir())
    assert len(sent) == 1 and "Lieta 1011-0000001" in sent[0].read_text() and mail.outbox == []


def test_the_recipients_language_is_used(django_capture_on_commit_callbacks):
    person = person_choosing(by_email=True, preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, context=CONTEXT | {"status": "Registered"})

    assert mail.outbox[0].subject == "Case 1011-0000001: Registered"


def test_proactive_offers_go_to_the_e_account_only_until_the_person_opts_in(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory()  # a confirmed e-mail, no choice made
    context = {"event": "Bērna piedzimšana", "service": "Pabalsts", "opt_out_url": "/account/profile/"}

    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(person, topic="life_event_offer", context=context)

    assert [n.channel for n in created] == ["e_account"] and mail.outbox == []


def test_an_organisations_board_members_are_told_and_its_e_account_keeps_the_copy(
    django_capture_on_commit_callbacks,
):
    organisation = OrganisationFactory(email="")
    member = BoardMembershipFactory(organisation=organisation).person
    former = BoardMembershipFactory(organisation=organisation, valid_until=date(2020, 1, 1)).person

    with django_capture_on_commit_callbacks(execute=True):
        _notify(organisation)

    assert _channels() == [
        (f"organisation:{organisation.pk}", "e_account", "delivered"),
        (f"person:{member.pk}", "email", "delivered"),
    ]
    assert Message.objects.get(source_key="k-1").organisation == organisation
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert former.email not in str([m.to for m in mail.outbox])


def test_a_minors_legal_representatives_are_told(django_capture_on_commit_callbacks):
    link = ParentChildFactory(child=PersonFactory(born=date(2018, 7, 3), email=""))

    with django_capture_on_commit_callbacks(execute=True):
        _notify(link.child)

    assert (f"person:{link.parent.pk}", "email", "delivered") in _channels()
    assert [m.to for m in mail.outbox] == [[link.parent.email]]


def test_delegates_are_told_only_of_the_services_delegated_to_them(django_capture_on_commit_callbacks):
    principal = person_choosing(by_email=False)
    delegated, other = ServiceFactory(delegable=True), ServiceFactory(delegable=True)
    delegation = Delegation.objects.create(principal_person=principal, agent=PersonFactory())
    delegation.services.add(delegated)

    with django_capture_on_commit_callbacks(execute=True):
        _notify(principal, key="about-delegated", service_code=delegated.code)
        _notify(principal, key="about-other", service_code=other.code)
        _notify(principal, key="general")

    assert [m.to for m in mail.outbox] == [[delegation.agent.email]]
    assert Notification.objects.get(dedupe_key="about-delegated", channel="email").basis == "delegation"


def test_a_missing_placeholder_records_nothing():
    person = person_choosing()

    with pytest.raises(MissingPlaceholder):
        _notify(person, context={"number": "1"})

    assert not Notification.objects.exists() and not Message.objects.exists()


def test_the_sender_is_the_services_agency_by_default(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    person = person_choosing()

    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, service_code=service.code)

    assert Message.objects.get().sender_label == service.agency.name_lv
    assert Notification.objects.filter(agency=service.agency).count() == 2
