"""Escalations: the beat job raises a late case once per deadline and an unresolved consultation once,
audits each and tells each supervisor once per run; supervisors (only) see them and reassign."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from kernel.actors import Actor
from kernel.constants import Channel
from notifications.models import Notification
from requests_registry.constants import CaseStatus, ConsultationOutcome
from requests_registry.models import Case, Consultation
from requests_registry.tests.factories import (
    CaseFactory,
    ServiceFactory,
    StaffRoleFactory,
    UserFactory,
    login,
)
from workplace import tasks
from workplace.constants import EscalationReason, WorkplaceAction
from workplace.exceptions import EscalationAssigneeInvalid, EscalationClosed, EscalationNotFound
from workplace.models import Escalation
from workplace.services import escalations as services

pytestmark = pytest.mark.django_db

LIST_URL = reverse("workplace:escalations")
TOPIC = "workplace_escalation"
SYSTEM = Actor.system("Escalation job")


def reassign_url(escalation) -> str:
    return reverse("workplace:escalation-reassign", kwargs={"pk": escalation.pk})


def role(kind: str, **scope):
    return StaffRoleFactory(kind=kind, **scope).user


def as_actor(user) -> Actor:
    return Actor(user=user, channel=Channel.AGENCY, assurance="high")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def service(agency):
    return ServiceFactory(agency=agency)


@pytest.fixture
def agency_admin(agency):
    return role("agency_admin", agency=agency)


@pytest.fixture
def centre_admin(centre):
    return role("centre_admin", centre=centre)


@pytest.fixture
def staff(agency):
    return role("agency_staff", agency=agency)


def late_case(service, today, *, status=CaseStatus.IN_PROGRESS, days=1, **kwargs):
    return CaseFactory(
        service=service, status=status, planned_completion=today - datetime.timedelta(days=days), **kwargs
    )


def unresolved(service, centre=None, *, outcome=ConsultationOutcome.FOLLOW_UP):
    return Consultation.objects.create(
        service=service,
        channel=Channel.VPVKAC,
        client_person=UserFactory().person,
        topic="Pabalsta aprēķins",
        duration_minutes=10,
        consulted_by=UserFactory(),
        centre=centre,
        outcome=outcome,
    )


def notices_to(user):
    return Notification.objects.filter(topic=TOPIC, recipient_person=user.person, channel="e_account")


# --- the job -----------------------------------------------------------------------------------------


def test_a_late_case_is_escalated_once_over_two_runs(service, centre, today):
    case = late_case(service, today, centre=centre)

    first = services.escalations_raise(actor=SYSTEM, today=today)
    second = services.escalations_raise(actor=SYSTEM, today=today)

    assert (first, second) == (1, 0)
    escalation = Escalation.objects.get()
    assert (escalation.reason, escalation.case_id, escalation.deadline) == (
        EscalationReason.LATE,
        case.pk,
        case.planned_completion,
    )
    assert (escalation.agency_id, escalation.centre_id) == (service.agency_id, centre.pk)
    # the escalation's audit event is in the agency's own log
    assert AuditEvent.objects.get(action=WorkplaceAction.ESCALATION).agency_id == service.agency_id


@pytest.mark.parametrize("status", [CaseStatus.NEEDS_INFO, CaseStatus.AWAITING_PAYMENT])
def test_a_case_whose_clock_is_stopped_is_not_escalated(service, today, status):
    late_case(service, today, status=status, days=30)

    raised = services.escalations_raise(actor=SYSTEM, today=today)

    assert raised == 0
    assert not Escalation.objects.exists()


@pytest.mark.parametrize("status", [CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN])
def test_a_closed_case_is_not_escalated(service, today, status):
    late_case(service, today, status=status, days=30)

    raised = services.escalations_raise(actor=SYSTEM, today=today)

    assert raised == 0
    assert not Escalation.objects.exists()


def test_a_case_due_today_is_not_late_yet(service, today):
    late_case(service, today, days=0)

    raised = services.escalations_raise(actor=SYSTEM, today=today)

    assert raised == 0


def test_a_case_is_escalated_again_when_its_new_deadline_passes(service, today):
    case = late_case(service, today, days=10)
    services.escalations_raise(actor=SYSTEM, today=today - datetime.timedelta(days=8))
    # the clock was paused (information asked): the pipeline moved the planned date on
    new_deadline = today - datetime.timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(planned_completion=new_deadline)

    raised = services.escalations_raise(actor=SYSTEM, today=today)

    assert raised == 1
    assert sorted(Escalation.objects.values_list("deadline", flat=True)) == [
        today - datetime.timedelta(days=10),
        new_deadline,
    ]


def test_an_unresolved_consultation_is_escalated_once(service, centre, today):
    consultation = unresolved(service, centre)
    unresolved(service, centre, outcome=ConsultationOutcome.ANSWERED)

    first = services.escalations_raise(actor=SYSTEM, today=today)
    second = services.escalations_raise(actor=SYSTEM, today=today)

    assert (first, second) == (1, 0)
    escalation = Escalation.objects.get()
    assert (escalation.reason, escalation.consultation_id, escalation.case_id) == (
        EscalationReason.UNRESOLVED,
        consultation.pk,
        None,
    )
    assert (escalation.agency_id, escalation.centre_id, escalation.deadline) == (
        service.agency_id,
        centre.pk,
        None,
    )


def test_each_new_escalation_is_audited_once_with_its_case_and_client(service, today):
    case = late_case(service, today)

    services.escalations_raise(actor=SYSTEM, today=today)
    services.escalations_raise(actor=SYSTEM, today=today)

    event = AuditEvent.objects.get(action=WorkplaceAction.ESCALATION)
    assert (event.object_type, event.object_id) == ("requests_registry.case", str(case.pk))
    assert (event.acting_for_type, event.acting_for_id, event.acting_for_label) == (
        "eaccount.person",
        str(case.client_person_id),
        case.client_person.full_name,
    )
    assert event.actor_label == "Escalation job"
    assert event.data["number"] == case.number
    assert event.data["deadline"] == case.planned_completion.isoformat()


def test_each_supervisor_is_told_once_a_run_whatever_the_count(
    service, centre, today, agency_admin, centre_admin, staff
):
    late_case(service, today, centre=centre)
    late_case(service, today)
    other_admin = role("agency_admin", agency=AgencyFactory())

    services.escalations_raise(actor=SYSTEM, today=today)
    services.escalations_raise(actor=SYSTEM, today=today)

    notice = notices_to(agency_admin).get()
    assert notice.context["count"] == "2"
    assert notice.link_url.endswith(LIST_URL)
    assert notices_to(centre_admin).get().context["count"] == "1"
    assert not notices_to(staff).exists()
    assert not notices_to(other_admin).exists()


def test_the_next_run_with_new_escalations_tells_the_supervisor_again(service, today, agency_admin):
    late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    late_case(service, today)

    services.escalations_raise(actor=SYSTEM, today=today)

    assert notices_to(agency_admin).count() == 2


def test_the_beat_task_raises_the_escalations(service, today, agency_admin):
    late_case(service, today)

    result = tasks.escalations_raise.delay()

    assert result.get() == 1
    assert Escalation.objects.count() == 1
    assert notices_to(agency_admin).count() == 1


# --- the list ----------------------------------------------------------------------------------------


def test_a_late_case_appears_in_her_supervisors_escalations_once(client, service, today, agency_admin):
    case = late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    services.escalations_raise(actor=SYSTEM, today=today)
    login(client, agency_admin, "substantial")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.content.decode().count(f"{case.number}</h2>") == 1
    assert response.content.decode().count('data-testid="escalation-') == 1


def test_the_centres_admin_sees_the_escalations_of_the_centre(client, service, centre, today, centre_admin):
    case = late_case(service, today, centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)
    login(client, centre_admin, "substantial")

    response = client.get(LIST_URL)

    assert case.number in response.content.decode()


def test_another_agencys_admin_does_not_see_them(client, service, today):
    case = late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    login(client, role("agency_admin", agency=AgencyFactory()), "substantial")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert case.number not in response.content.decode()


@pytest.mark.parametrize("kind", ["agency_staff", "centre_specialist", None])
def test_anyone_but_a_supervisor_gets_not_found(client, service, centre, today, kind):
    late_case(service, today, centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)
    scope = {"agency_staff": {"agency": service.agency}, "centre_specialist": {"centre": centre}}
    user = role(kind, **scope[kind]) if kind else UserFactory()
    login(client, user, "high")

    response = client.get(LIST_URL)

    assert response.status_code == 404


def test_the_list_takes_the_same_queries_for_one_or_five_escalations(
    client, service, centre, today, agency_admin, staff, django_assert_num_queries
):
    role("centre_specialist", centre=centre)
    late_case(service, today, centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)
    login(client, agency_admin, "substantial")
    client.get(LIST_URL)  # the session's and the roles' caches warm
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    queries_for_one = len(one)
    for _ in range(4):
        late_case(service, today, centre=centre)
    unresolved(service, centre)
    services.escalations_raise(actor=SYSTEM, today=today)
    client.get(LIST_URL)  # the header's unread count, changed by the run's notice, cached again

    with django_assert_num_queries(queries_for_one):
        response = client.get(LIST_URL)

    assert response.content.decode().count('data-testid="escalation-') == 6


# --- reassigning -------------------------------------------------------------------------------------


def test_a_supervisor_reassigns_a_late_case_to_a_staff_member(client, service, today, agency_admin, staff):
    case = late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    escalation = Escalation.objects.get()
    login(client, agency_admin, "substantial")

    response = client.post(reassign_url(escalation), {"assignee": staff.pk, "page": 1})

    assert response.status_code == 302
    case.refresh_from_db()
    escalation.refresh_from_db()
    assert case.assigned_to_id == staff.pk
    assert (escalation.reassigned_to_id, escalation.resolved_by_id) == (staff.pk, agency_admin.pk)
    assert escalation.resolved_at is not None
    event = AuditEvent.objects.get(action=WorkplaceAction.ESCALATION_REASSIGN)
    assert (event.object_id, event.actor_id, event.data["to"]) == (str(case.pk), agency_admin.pk, staff.pk)
    assert client.get(LIST_URL).content.decode().count('data-testid="escalation-') == 0


def test_a_centres_admin_reassigns_a_case_to_a_specialist_of_the_centre(service, centre, today, centre_admin):
    case = late_case(service, today, centre=centre)
    specialist = role("centre_specialist", centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)

    services.escalation_reassign(
        actor=as_actor(centre_admin), escalation=Escalation.objects.get(), assignee=specialist
    )

    case.refresh_from_db()
    assert case.assigned_to_id == specialist.pk


def test_reassigning_a_consultation_records_whom_it_went_to(service, centre, today, centre_admin):
    consultation = unresolved(service, centre)
    specialist = role("centre_specialist", centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)

    escalation = services.escalation_reassign(
        actor=as_actor(centre_admin), escalation=Escalation.objects.get(), assignee=specialist
    )

    assert escalation.reassigned_to_id == specialist.pk
    event = AuditEvent.objects.get(action=WorkplaceAction.ESCALATION_REASSIGN)
    assert (event.object_type, event.object_id) == ("requests_registry.consultation", str(consultation.pk))


@pytest.mark.parametrize("who", ["other_admin", "staff", "centre_specialist"])
def test_a_reassignment_posted_by_anyone_but_a_supervisor_is_refused(
    client, service, centre, today, staff, who
):
    case = late_case(service, today, centre=centre)
    services.escalations_raise(actor=SYSTEM, today=today)
    escalation = Escalation.objects.get()
    user = {
        "other_admin": lambda: role("agency_admin", agency=AgencyFactory()),
        "staff": lambda: staff,
        "centre_specialist": lambda: role("centre_specialist", centre=centre),
    }[who]()
    login(client, user, "high")

    response = client.post(reassign_url(escalation), {"assignee": staff.pk})

    assert response.status_code == 404
    case.refresh_from_db()
    escalation.refresh_from_db()
    assert case.assigned_to_id is None
    assert escalation.resolved_at is None
    assert not AuditEvent.objects.filter(action=WorkplaceAction.ESCALATION_REASSIGN).exists()


def test_the_service_refuses_a_supervisor_of_another_agency(service, today, staff):
    late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    escalation = Escalation.objects.get()

    with pytest.raises(EscalationNotFound):
        services.escalation_reassign(
            actor=as_actor(role("agency_admin", agency=AgencyFactory())),
            escalation=escalation,
            assignee=staff,
        )

    escalation.refresh_from_db()
    assert escalation.resolved_at is None


def test_a_case_cannot_go_to_staff_of_another_agency(client, service, today, agency_admin):
    case = late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    escalation = Escalation.objects.get()
    stranger = role("agency_staff", agency=AgencyFactory())
    login(client, agency_admin, "substantial")

    response = client.post(reassign_url(escalation), {"assignee": stranger.pk})

    assert response.status_code == 422
    assert "error-text" in response.content.decode()
    case.refresh_from_db()
    escalation.refresh_from_db()
    assert case.assigned_to_id is None
    assert escalation.resolved_at is None


def test_the_service_refuses_an_assignee_outside_the_agency_and_centre(service, today, agency_admin):
    late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)

    with pytest.raises(EscalationAssigneeInvalid):
        services.escalation_reassign(
            actor=as_actor(agency_admin),
            escalation=Escalation.objects.get(),
            assignee=role("agency_staff", agency=AgencyFactory()),
        )

    assert Escalation.objects.get().resolved_at is None


def test_an_escalation_is_reassigned_once(service, today, agency_admin, staff):
    late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    escalation = Escalation.objects.get()
    services.escalation_reassign(actor=as_actor(agency_admin), escalation=escalation, assignee=staff)

    with pytest.raises(EscalationClosed):
        services.escalation_reassign(
            actor=as_actor(agency_admin),
            escalation=escalation,
            assignee=role("agency_staff", agency=service.agency),
        )

    assert Escalation.objects.get().reassigned_to_id == staff.pk


def test_the_reassign_page_takes_posts_only(client, service, today, agency_admin, staff):
    late_case(service, today)
    services.escalations_raise(actor=SYSTEM, today=today)
    login(client, agency_admin, "substantial")

    response = client.get(reassign_url(Escalation.objects.get()))

    assert response.status_code == 405
