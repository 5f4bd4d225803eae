"""The proactive rules' scan (issue 12, item 5): set-based, opt-in only, once per rule and occasion."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.demo import load_pilot_catalogue
from catalogue.tests.factories import ServiceFactory
from eaccount.demo import load_demo_people
from eaccount.models import (
    Message,
    NoticePreference,
    OrganisationLiquidation,
    ParentChild,
    RegisterDocument,
)
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    new_personal_code_for,
)
from notifications.models import Notification, ProactiveRule, ProactiveSent
from requests_registry.services.proactive import proactive_run, proactive_scan

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def _opt_in(party, kind="proactive_offer", email=True, sms=False):
    field = "organisation" if party.__class__.__name__ == "Organisation" else "person"
    NoticePreference.objects.update_or_create(
        **{field: party}, kind=kind, defaults={"email": email, "sms": sms}
    )


def _birth_rule(service, within_days=60):
    return ProactiveRule.objects.create(
        service=service, kind="life_event", life_event="child_birth", within_days=within_days
    )


def _expiry_rule(service, days=(90, 30, 7), document_kind="passport"):
    return ProactiveRule.objects.create(
        service=service, kind="document_expiry", document_kind=document_kind, days_before=list(days)
    )


_newborns = iter(range(70_000_000, 80_000_000))


def _newborn_of(*parents, days_ago=10):
    child = PersonFactory(
        personal_code=new_personal_code_for(next(_newborns)),
        birth_date=timezone.localdate() - timedelta(days=days_ago),
        has_eid=False,
    )
    for parent in parents:
        ParentChildFactory(parent=parent, child=child)
    return child


def _offers(party):
    return Notification.objects.filter(recipient_person=party, topic="life_event_offer")


# --- done when -------------------------------------------------------------------------------------------


def test_anna_who_opted_in_gets_the_childbirth_offer_once_and_peteris_who_did_not_gets_none(
    django_capture_on_commit_callbacks,
):
    load_pilot_catalogue()
    people = load_demo_people()  # a newborn for Anna and one for Pēteris in their register data
    anna, peteris = people["citizen_parent"], people["board_member"]
    _opt_in(anna)
    rule = _birth_rule(ServiceFactory(code="1011"))

    for _run in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            proactive_run()

    assert sorted(_offers(anna).values_list("channel", flat=True)) == ["e_account", "email"]
    assert Message.objects.filter(person=anna, source_key__startswith=f"proactive:{rule.pk}:").count() == 1
    assert [m.to for m in mail.outbox] == [[anna.email]]
    assert not Notification.objects.filter(recipient_person=peteris).exists()
    assert not Message.objects.filter(person=peteris, source_key__startswith="proactive:").exists()
    # the offer is about the newborn only (Jānis, born 2018, is not within the rule's 60 days)
    assert list(ProactiveSent.objects.values_list("person_id", "occasion_ref")) == [
        (anna.pk, people["newborn_of_citizen_parent"].pk)
    ]


def test_the_offer_says_why_it_was_sent_and_links_to_the_one_click_opt_out():
    load_pilot_catalogue()
    people = load_demo_people()
    anna = people["citizen_parent"]
    _opt_in(anna)
    _birth_rule(ServiceFactory(code="1011"))

    proactive_run()

    message = Message.objects.get(person=anna, source_key__startswith="proactive:")
    assert "bērna piedzimšana" in message.body and "izvēlējāties saņemt" in message.body
    assert "/notifications/stop/" in message.body
    assert "because you chose to receive offers" in message.body_en


# --- who is offered ---------------------------------------------------------------------------------------


def test_a_family_that_applied_since_the_birth_is_not_offered_the_service():
    service = ServiceFactory()
    mother, father, other = PersonFactory(), PersonFactory(), PersonFactory()
    for person in (mother, father, other):
        _opt_in(person)
    _newborn_of(mother, father)
    _newborn_of(other)
    CaseFactory(service=service, client_person=father)  # the other parent applied
    CaseFactory(service=ServiceFactory(), client_person=other)  # another service: no matter
    _birth_rule(service)

    proactive_run()

    assert not _offers(mother).exists() and not _offers(father).exists()
    assert _offers(other).exists()


def test_a_case_filed_before_the_birth_does_not_count_as_applied():
    service = ServiceFactory()
    mother = PersonFactory()
    _opt_in(mother)
    _newborn_of(mother, days_ago=3)
    case = CaseFactory(service=service, client_person=mother)
    type(case).objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=30))
    _birth_rule(service)

    proactive_run()

    assert _offers(mother).exists()


def test_a_birth_older_than_the_rules_days_and_a_person_who_opted_for_nothing_get_nothing():
    service = ServiceFactory()
    late, undecided, no_address = PersonFactory(), PersonFactory(), PersonFactory(email="")
    _opt_in(late)
    NoticePreference.objects.create(person=undecided, kind="proactive_offer", email=False, sms=False)
    _opt_in(no_address)  # chose e-mail, has no address now: not an opt-in until it is back
    _newborn_of(late, days_ago=61)
    _newborn_of(undecided)
    _newborn_of(no_address)
    _birth_rule(service, within_days=60)

    proactive_run()

    assert not Notification.objects.filter(topic="life_event_offer").exists()


def test_an_inactive_rule_offers_nothing():
    parent = PersonFactory()
    _opt_in(parent)
    _newborn_of(parent)
    rule = _birth_rule(ServiceFactory())
    rule.active = False
    rule.save()

    proactive_run()

    assert not ProactiveSent.objects.exists() and not _offers(parent).exists()


def test_a_company_whose_liquidation_started_is_offered_the_completion_once():
    company = OrganisationFactory(email="valde@example.lv")
    member = BoardMembershipFactory(organisation=company).person
    _opt_in(company)
    OrganisationLiquidation.objects.create(organisation=company, started_on=timezone.localdate())
    quiet = OrganisationFactory()
    OrganisationLiquidation.objects.create(organisation=quiet, started_on=timezone.localdate())
    rule = ProactiveRule.objects.create(
        service=ServiceFactory(audience="organisation"),
        kind="life_event",
        life_event="company_liquidation_started",
        within_days=30,
    )

    proactive_run()
    proactive_run()

    assert (
        Message.objects.filter(organisation=company, source_key__startswith=f"proactive:{rule.pk}:").count()
        == 1
    )
    assert not Message.objects.filter(organisation=quiet).exists()
    assert not Notification.objects.filter(recipient_person=member).exists()  # chose nothing themselves


# --- document expiry: 90, 30 and 7 days, each once ----------------------------------------------------------


def test_a_document_reminder_is_sent_at_90_30_and_7_days_each_once():
    person, undecided = PersonFactory(), PersonFactory()
    _opt_in(person, kind="reminder")
    expires = timezone.localdate() + timedelta(days=200)
    RegisterDocument.objects.create(person=person, kind="passport", number="LV0000001", expires_on=expires)
    RegisterDocument.objects.create(person=undecided, kind="passport", number="LV0000002", expires_on=expires)
    RegisterDocument.objects.create(person=person, kind="id_card", number="PA0000003", expires_on=expires)
    _expiry_rule(ServiceFactory())

    sent = {}
    for days_before in (120, 90, 90, 60, 31, 30, 29, 8, 7, 3, 0, -1):
        today = expires - timedelta(days=days_before)
        proactive_run(today=today)
        sent[days_before] = list(ProactiveSent.objects.order_by("pk").values_list("occasion_step", flat=True))

    assert sent[120] == [] and sent[90] == [90] and sent[60] == [90]
    assert sent[30] == [90, 30] and sent[8] == [90, 30] and sent[7] == [90, 30, 7] and sent[-1] == [90, 30, 7]
    reminders = Notification.objects.filter(topic="document_expiry_reminder", channel="e_account")
    assert reminders.count() == 3 and {n.recipient_person_id for n in reminders} == {person.pk}
    assert "derīgs līdz" in reminders.order_by("pk").first().body


def test_a_reminder_that_the_scan_missed_is_sent_at_the_next_step_only():
    person = PersonFactory(phone="+37120000001")
    _opt_in(person, kind="reminder", email=False, sms=True)
    expires = timezone.localdate() + timedelta(days=20)
    RegisterDocument.objects.create(person=person, kind="passport", number="LV0000009", expires_on=expires)
    _expiry_rule(ServiceFactory())

    proactive_run()

    assert list(ProactiveSent.objects.values_list("occasion_step", flat=True)) == [30]


def test_someone_who_already_applied_to_renew_is_not_reminded():
    service = ServiceFactory()
    person = PersonFactory()
    _opt_in(person, kind="reminder")
    RegisterDocument.objects.create(
        person=person,
        kind="passport",
        number="LV0000010",
        expires_on=timezone.localdate() + timedelta(days=25),
    )
    CaseFactory(service=service, client_person=person)
    _expiry_rule(service)

    proactive_run()

    assert not ProactiveSent.objects.exists()


def test_a_person_who_opts_out_after_the_scan_is_not_told():
    person = PersonFactory()
    _opt_in(person, kind="reminder")
    RegisterDocument.objects.create(
        person=person,
        kind="passport",
        number="LV0000011",
        expires_on=timezone.localdate() + timedelta(days=5),
    )
    _expiry_rule(ServiceFactory())
    proactive_scan()
    NoticePreference.objects.filter(person=person).update(email=False)

    result = proactive_run()

    assert result.notified == 0 and not Notification.objects.exists()
    assert ProactiveSent.objects.get().notified_at is not None


# --- set-based: a fixed number of queries whatever the population -------------------------------------------


def _population(size: int, service_birth, service_doc) -> None:
    today = timezone.localdate()
    for n in range(size):
        parent = PersonFactory()
        _opt_in(parent)
        _opt_in(parent, kind="reminder")
        _newborn_of(parent, days_ago=n % 20)
        RegisterDocument.objects.create(
            person=parent,
            kind="passport",
            number=f"LV{service_doc.pk}{n:06d}",
            expires_on=today + timedelta(days=n % 95),
        )


@pytest.mark.parametrize("size", [3, 30])
def test_the_scan_runs_the_same_queries_for_any_population(size, django_assert_num_queries):
    birth, document = ServiceFactory(), ServiceFactory()
    _birth_rule(birth)
    _expiry_rule(document)
    _population(size, birth, document)

    with django_assert_num_queries(3):  # the active rules, then one INSERT … SELECT per rule
        result = proactive_scan()

    assert result.claimed_total == size + sum(1 for n in range(size) if n % 95 <= 90)
    assert ParentChild.objects.count() == size


def test_two_scans_claim_nothing_twice():
    parent = PersonFactory()
    _opt_in(parent)
    _newborn_of(parent)
    _birth_rule(ServiceFactory())

    first, second = proactive_scan(), proactive_scan()

    assert first.claimed_total == 1 and second.claimed_total == 0


def test_the_sender_works_in_bounded_batches_and_the_next_run_goes_on():
    rule = _birth_rule(ServiceFactory())
    for _n in range(5):
        parent = PersonFactory()
        _opt_in(parent)
        _newborn_of(parent)

    first = proactive_run(batch=2, limit=3)
    second = proactive_run(batch=2, limit=3)

    assert (first.notified, second.notified) == (3, 2)
    assert ProactiveSent.objects.filter(rule=rule, notified_at__isnull=True).count() == 0
    assert Notification.objects.filter(topic="life_event_offer", channel="e_account").count() == 5
