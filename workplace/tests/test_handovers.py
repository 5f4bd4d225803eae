"""Hand-overs: a case, a consultation or a visit's follow-up reaches the receiver's queue, and a
receiver (only) accepts it once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from kernel.actors import Actor
from kernel.constants import Channel
from requests_registry.constants import CaseStatus
from requests_registry.models import Consultation
from requests_registry.tests.factories import (
    CaseFactory,
    PersonFactory,
    ServiceFactory,
    StaffRoleFactory,
    UserFactory,
    login,
)
from workplace.constants import HandoverState, HandoverTarget, IdentityCheck, VisitChannel, WorkplaceAction
from workplace.exceptions import HandoverInvalid, HandoverNotWaiting
from workplace.models import Handover, Visit
from workplace.selectors import handovers as selectors
from workplace.services import handovers as services

pytestmark = pytest.mark.django_db

NEW_URL = reverse("workplace:handover-new")
QUEUE_URL = reverse("workplace:handovers")


def specialist_of(centre):
    return StaffRoleFactory(kind="centre_specialist", centre=centre).user


def staff_of(agency, kind: str = "agency_staff"):
    return StaffRoleFactory(kind=kind, agency=agency).user


def actor(user, centre=None) -> Actor:
    return Actor(
        user=user,
        channel=Channel.VPVKAC if centre else Channel.AGENCY,
        assurance="high",
        centre_id=centre.pk if centre else None,
    )


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def sender(centre):
    return specialist_of(centre)


@pytest.fixture
def case(centre, agency):
    """A case filed through the sender's centre, for a service of the agency."""
    return CaseFactory(service=ServiceFactory(agency=agency), centre=centre, channel=Channel.VPVKAC)


def hand_over(sender, case, target, *, centre=None, **receiver):
    return services.handover_create(
        actor=actor(sender, centre), item=case, target=target, note="Klients atnāks rīt.", **receiver
    )


def queue_of(user) -> list[Handover]:
    return list(selectors.handovers_waiting_for(user=user))


def visit_of(specialist, centre) -> Visit:
    return Visit.objects.create(
        specialist=specialist,
        centre=centre,
        channel=VisitChannel.IN_PERSON,
        client_person=PersonFactory(),
        identity_check=IdentityCheck.KNOWN_IN_PERSON,
    )


def consultation_of(user, *, agency=None, centre=None, service=None) -> Consultation:
    return Consultation.objects.create(
        channel=Channel.VPVKAC,
        client_person=PersonFactory(),
        topic="Bērna kopšanas pabalsts",
        duration_minutes=10,
        consulted_by=user,
        agency=agency,
        centre=centre,
        service=service,
        outcome="follow_up",
    )


# --- reaching the queue ---------------------------------------------------------------------------


def test_a_case_handed_to_a_colleague_reaches_the_colleagues_queue(client, centre, sender, case):
    colleague = specialist_of(centre)
    login(client, sender)

    response = client.post(
        f"{NEW_URL}?case={case.number}",
        {"target": "colleague", "to_user": colleague.pk, "note": "Lūdzu pabeidz."},
    )

    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.case, handover.to_user, handover.handed_by) == (case, colleague, sender)
    assert queue_of(colleague) == [handover]


def test_a_case_handed_to_a_colleague_does_not_reach_a_third_person(centre, sender, case):
    colleague = specialist_of(centre)
    third = specialist_of(centre)

    hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)

    assert queue_of(third) == []
    assert queue_of(sender) == []


def test_the_queue_page_lists_what_waits_for_the_receiver(client, centre, sender, case):
    colleague = specialist_of(centre)
    hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)
    login(client, colleague)

    page = client.get(QUEUE_URL)

    assert page.status_code == 200
    assert [row["handover"].case for row in page.context["rows"]] == [case]
    assert case.number in page.content.decode()


def test_a_handover_to_the_centre_reaches_every_specialist_of_it(centre, sender, case):
    first, second = specialist_of(centre), specialist_of(centre)
    elsewhere = specialist_of(ServiceCentreFactory())

    handover = hand_over(sender, case, HandoverTarget.CENTRE, centre=centre, to_centre=centre)

    assert queue_of(first) == [handover]
    assert queue_of(second) == [handover]
    assert queue_of(elsewhere) == []


def test_a_handover_to_another_centre_reaches_that_centre(centre, sender, case):
    other = ServiceCentreFactory()
    there = specialist_of(other)

    handover = hand_over(sender, case, HandoverTarget.CENTRE, centre=centre, to_centre=other)

    assert queue_of(there) == [handover]
    assert queue_of(specialist_of(centre)) == []


def test_a_handover_to_the_agency_reaches_its_staff(centre, agency, sender, case):
    staff, admin = staff_of(agency), staff_of(agency, kind="agency_admin")
    other_agency_staff = staff_of(AgencyFactory())

    handover = hand_over(sender, case, HandoverTarget.AGENCY, centre=centre)

    assert handover.to_agency == agency
    assert queue_of(staff) == [handover]
    assert queue_of(admin) == [handover]
    assert queue_of(other_agency_staff) == []


def test_a_second_level_handover_naming_a_specialist_reaches_only_them(centre, agency, sender, case):
    expert, other_staff = staff_of(agency), staff_of(agency)

    handover = hand_over(sender, case, HandoverTarget.SECOND_LEVEL, centre=centre, to_user=expert)

    assert (handover.to_agency, handover.to_user) == (agency, expert)
    assert queue_of(expert) == [handover]
    assert queue_of(other_staff) == []


def test_a_consultation_handed_to_the_agency_reaches_the_agency_of_its_service(
    client, centre, agency, sender
):
    consultation = consultation_of(sender, centre=centre, service=ServiceFactory(agency=agency))
    staff = staff_of(agency)
    login(client, sender)

    response = client.post(
        f"{NEW_URL}?consultation={consultation.pk}", {"target": "agency", "note": "Zvanīt."}
    )

    assert response.status_code == 302
    assert [h.consultation for h in queue_of(staff)] == [consultation]


def test_a_visits_follow_up_handed_to_a_colleague_reaches_them(client, centre, sender):
    visit = visit_of(sender, centre)
    colleague = specialist_of(centre)
    login(client, sender)

    response = client.post(
        f"{NEW_URL}?visit={visit.pk}",
        {"target": "colleague", "to_user": colleague.pk, "note": "Atnesīs izziņu."},
    )

    assert response.status_code == 302
    assert [h.visit for h in queue_of(colleague)] == [visit]


def test_handing_over_is_audited(centre, sender, case):
    colleague = specialist_of(centre)

    handover = hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)

    event = AuditEvent.objects.get(action=WorkplaceAction.HANDOVER)
    assert (event.actor_id, event.object_id) == (sender.pk, str(handover.pk))
    assert event.acting_for_id == str(case.client_person.pk)
    assert event.data["to_user"] == colleague.pk and event.data["number"] == case.number


# --- what the form offers and refuses ----------------------------------------------------------------


def test_the_form_shows_the_item_and_the_sender_s_colleagues(client, centre, sender, case):
    colleague = specialist_of(centre)
    stranger = specialist_of(ServiceCentreFactory())
    login(client, sender)

    page = client.get(f"{NEW_URL}?case={case.number}")

    assert page.status_code == 200
    assert case.number in page.content.decode()
    colleagues = list(page.context["form"].fields["to_user"].queryset)
    assert colleague in colleagues and stranger not in colleagues and sender not in colleagues


def test_a_note_is_required(client, centre, sender, case):
    colleague = specialist_of(centre)
    login(client, sender)

    response = client.post(
        f"{NEW_URL}?case={case.number}", {"target": "colleague", "to_user": colleague.pk, "note": "   "}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["note"]
    assert not Handover.objects.exists()


def test_a_note_longer_than_2000_characters_is_refused(centre, sender, case):
    colleague = specialist_of(centre)

    with pytest.raises(HandoverInvalid) as refusal:
        services.handover_create(
            actor=actor(sender, centre), item=case, target="colleague", to_user=colleague, note="x" * 2001
        )

    assert "note" in refusal.value.field_errors
    assert not Handover.objects.exists()


def test_a_specialist_of_another_centre_is_no_colleague(centre, sender, case):
    stranger = specialist_of(ServiceCentreFactory())

    with pytest.raises(HandoverInvalid) as refusal:
        hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=stranger)

    assert "to_user" in refusal.value.field_errors
    assert not Handover.objects.exists()


def test_a_second_level_specialist_must_be_of_the_case_s_agency(centre, sender, case):
    other_agency_staff = staff_of(AgencyFactory())

    with pytest.raises(HandoverInvalid):
        hand_over(sender, case, HandoverTarget.SECOND_LEVEL, centre=centre, to_user=other_agency_staff)

    assert not Handover.objects.exists()


def test_a_visit_cannot_go_to_an_agency(client, centre, sender):
    visit = visit_of(sender, centre)
    login(client, sender)

    response = client.post(f"{NEW_URL}?visit={visit.pk}", {"target": "agency", "note": "x"})

    assert response.status_code == 422
    assert not Handover.objects.exists()


@pytest.mark.parametrize("kind", ["case", "consultation", "visit", "none"])
def test_handing_over_an_item_the_sender_may_not_see_is_not_found(client, centre, sender, kind):
    other_centre = ServiceCentreFactory()
    someone = specialist_of(other_centre)
    query = {
        "case": lambda: f"case={CaseFactory(centre=other_centre).number}",
        "consultation": lambda: f"consultation={consultation_of(someone, centre=other_centre).pk}",
        "visit": lambda: f"visit={visit_of(someone, other_centre).pk}",
        "none": lambda: "case=1011-9999999",
    }[kind]()
    colleague = specialist_of(centre)
    login(client, sender)

    shown = client.get(f"{NEW_URL}?{query}")
    posted = client.post(f"{NEW_URL}?{query}", {"target": "colleague", "to_user": colleague.pk, "note": "x"})

    assert shown.status_code == posted.status_code == 404
    assert not Handover.objects.exists()


def test_agency_staff_may_hand_over_any_case_of_their_agency(agency):
    case = CaseFactory(service=ServiceFactory(agency=agency))
    staff, colleague = staff_of(agency), staff_of(agency)

    handover = hand_over(staff, case, HandoverTarget.COLLEAGUE, to_user=colleague)

    assert queue_of(colleague) == [handover]


def test_a_citizen_gets_not_found_on_the_hand_over_pages(client, case):
    login(client, UserFactory(person=case.client_person))

    assert client.get(f"{NEW_URL}?case={case.number}").status_code == 404
    assert client.get(QUEUE_URL).status_code == 404


# --- accepting -------------------------------------------------------------------------------------


def test_accepting_a_case_as_the_agency_s_staff_assigns_it_to_them(client, centre, agency, sender, case):
    staff = staff_of(agency)
    handover = hand_over(sender, case, HandoverTarget.AGENCY, centre=centre)
    login(client, staff)

    response = client.post(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 302
    handover.refresh_from_db()
    case.refresh_from_db()
    assert (handover.state, handover.accepted_by) == (HandoverState.ACCEPTED, staff)
    assert case.assigned_to == staff
    assert queue_of(staff) == []


def test_accepting_as_a_centre_specialist_only_marks_it_accepted(client, centre, sender, case):
    colleague = specialist_of(centre)
    handover = hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)
    login(client, colleague)

    response = client.post(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 302
    handover.refresh_from_db()
    case.refresh_from_db()
    assert (handover.state, handover.accepted_by) == (HandoverState.ACCEPTED, colleague)
    assert handover.accepted_at is not None
    assert case.assigned_to is None


def test_accepting_a_closed_case_marks_it_accepted_without_assigning(centre, agency, sender):
    case = CaseFactory(service=ServiceFactory(agency=agency), centre=centre, status=CaseStatus.COMPLETED)
    staff = staff_of(agency)
    handover = hand_over(sender, case, HandoverTarget.AGENCY, centre=centre)

    services.handover_accept(actor=actor(staff), handover=handover)

    case.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED
    assert case.assigned_to is None


def test_accepting_is_audited(centre, agency, sender, case):
    staff = staff_of(agency)
    handover = hand_over(sender, case, HandoverTarget.AGENCY, centre=centre)

    services.handover_accept(actor=actor(staff), handover=handover)

    event = AuditEvent.objects.get(action=WorkplaceAction.HANDOVER_ACCEPT)
    assert (event.actor_id, event.object_id, event.data["assigned"]) == (staff.pk, str(handover.pk), True)
    assert AuditEvent.objects.filter(action="case.assign", object_id=str(case.pk)).exists()


def test_accepting_twice_is_refused(client, centre, sender, case):
    first, second = specialist_of(centre), specialist_of(centre)
    handover = hand_over(sender, case, HandoverTarget.CENTRE, centre=centre, to_centre=centre)
    login(client, first)
    client.post(reverse("workplace:handover-accept", args=[handover.pk]))
    login(client, second)

    response = client.post(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 409
    handover.refresh_from_db()
    assert handover.accepted_by == first
    assert AuditEvent.objects.filter(action=WorkplaceAction.HANDOVER_ACCEPT).count() == 1


def test_the_service_refuses_a_second_accept(centre, sender, case):
    colleague = specialist_of(centre)
    handover = hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)
    services.handover_accept(actor=actor(colleague, centre), handover=handover)

    with pytest.raises(HandoverNotWaiting):
        services.handover_accept(
            actor=actor(colleague, centre), handover=Handover.objects.get(pk=handover.pk)
        )

    assert AuditEvent.objects.filter(action=WorkplaceAction.HANDOVER_ACCEPT).count() == 1


@pytest.mark.parametrize("who", ["third", "sender", "other_centre", "other_agency"])
def test_accepting_someone_else_s_hand_over_is_refused_and_nothing_changes(
    client, centre, agency, sender, case, who
):
    colleague = specialist_of(centre)
    handover = hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)
    intruder = {
        "third": lambda: specialist_of(centre),
        "sender": lambda: sender,
        "other_centre": lambda: specialist_of(ServiceCentreFactory()),
        "other_agency": lambda: staff_of(AgencyFactory()),
    }[who]()
    login(client, intruder)

    response = client.post(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 404
    handover.refresh_from_db()
    case.refresh_from_db()
    assert (handover.state, handover.accepted_by, case.assigned_to) == (HandoverState.WAITING, None, None)
    assert not AuditEvent.objects.filter(action=WorkplaceAction.HANDOVER_ACCEPT).exists()


def test_a_centre_hand_over_is_not_the_sender_s_to_accept(client, centre, sender, case):
    handover = hand_over(sender, case, HandoverTarget.CENTRE, centre=centre, to_centre=centre)
    login(client, sender)

    response = client.post(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 404
    handover.refresh_from_db()
    assert handover.state == HandoverState.WAITING


def test_accepting_answers_only_post(client, centre, sender, case):
    colleague = specialist_of(centre)
    handover = hand_over(sender, case, HandoverTarget.COLLEAGUE, centre=centre, to_user=colleague)
    login(client, colleague)

    response = client.get(reverse("workplace:handover-accept", args=[handover.pk]))

    assert response.status_code == 405
    handover.refresh_from_db()
    assert handover.state == HandoverState.WAITING


# --- the queue's cost ------------------------------------------------------------------------------


def test_the_queue_page_reads_a_fixed_number_of_queries(client, centre, agency, django_assert_num_queries):
    receiver = staff_of(agency)
    sender = specialist_of(centre)
    login(client, receiver)

    def given(n):
        for _ in range(n):
            case = CaseFactory(service=ServiceFactory(agency=agency), centre=centre)
            hand_over(sender, case, HandoverTarget.AGENCY, centre=centre)
            consultation = consultation_of(sender, centre=centre, service=ServiceFactory(agency=agency))
            hand_over(sender, consultation, HandoverTarget.SECOND_LEVEL, centre=centre, to_user=receiver)
            hand_over(receiver, CaseFactory(service=ServiceFactory(agency=agency)), HandoverTarget.AGENCY)
        client.get(QUEUE_URL)  # warm the session and the role facts

    given(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE_URL).status_code == 200
    expected = len(few.captured_queries)

    given(4)
    with django_assert_num_queries(expected):
        page = client.get(QUEUE_URL)
    assert len(page.context["rows"]) == 10
    assert len(page.context["sent"]) == 5


# --- two at once (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="select_for_update needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_receivers_accepting_at_once_one_wins():
    from django.db import connections

    centre = ServiceCentreFactory()
    sender = specialist_of(centre)
    receivers = [specialist_of(centre) for _ in range(4)]
    case = CaseFactory(centre=centre)
    handover = hand_over(sender, case, HandoverTarget.CENTRE, centre=centre, to_centre=centre)
    barrier = threading.Barrier(len(receivers))
    accepted, refused, errors = [], [], []

    def worker(user):
        try:
            barrier.wait()
            mine = selectors.handover_get_for_receiver(user=user, pk=handover.pk)
            services.handover_accept(actor=actor(user, centre), handover=mine)
            accepted.append(user)
        except HandoverNotWaiting:
            refused.append(user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(user,)) for user in receivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert len(accepted) == 1 and len(refused) == len(receivers) - 1
    handover.refresh_from_db()
    assert handover.accepted_by == accepted[0]
    assert AuditEvent.objects.filter(action=WorkplaceAction.HANDOVER_ACCEPT).count() == 1
