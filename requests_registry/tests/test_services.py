"""The registry's services: submission, the status pipeline, history, answers, results, feedback."""

import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from audit.models import AuditEvent
from catalogue.constants import PaymentMode
from eaccount.models import Document, Message
from kernel.actors import Actor
from kernel.working_days import working_days_after
from requests_registry import services
from requests_registry.constants import TRANSITIONS, Basis, CaseStatus, Channel
from requests_registry.exceptions import (
    ActorNotAllowed,
    CaseValidationError,
    InvalidTransition,
    NotAllowed,
    ServiceNotAvailable,
)
from requests_registry.models import Case, CaseAttachment, CaseSequence, Feedback, StatusChange

from .factories import (
    VALID_DATA,
    AgencyFactory,
    BoardMembershipFactory,
    CaseFactory,
    ParentChildFactory,
    PersonFactory,
    ServiceFactory,
    UserFactory,
    pdf_upload,
    staff_of,
)

pytestmark = pytest.mark.django_db

S = CaseStatus


def submit(user, service=None, data=None, files=None, client=None, basis=Basis.SELF):
    service = service or ServiceFactory()
    return services.case_submit(
        service=service,
        client=client or user.person,
        actor=Actor(user=user, basis=basis, channel=Channel.E_SERVICE),
        data=data if data is not None else dict(VALID_DATA),
        files=files,
    )


# --- submission ----------------------------------------------------------------------------------


def test_submit_numbers_history_audit_and_planned_date():
    user = UserFactory()
    service = ServiceFactory(code="1011", processing_days=10)

    first = submit(user, service)
    second = submit(user, service)

    assert first.number == "1011-0000001"
    assert second.number == "1011-0000002"
    assert first.status == S.SUBMITTED
    assert first.client_person == user.person and first.submitted_by == user
    assert first.service_version.number == 1
    assert first.planned_completion == working_days_after(timezone.localdate(), 10)
    assert first.data["child_personal_code"] == "030718-23455"
    history = list(first.status_changes.all())
    assert [(h.seq, h.from_status, h.to_status, h.actor_id, h.channel) for h in history] == [
        (1, "", S.SUBMITTED, user.pk, Channel.E_SERVICE)
    ]
    assert AuditEvent.objects.filter(action="case.submit", object_id=str(first.pk)).count() == 1
    assert CaseSequence.objects.get(service=service).last_value == 2


def test_submit_with_invalid_form_stores_nothing():
    user = UserFactory()
    service = ServiceFactory()
    data = dict(VALID_DATA, child_personal_code="123", child_birth_date="")

    with pytest.raises(CaseValidationError) as error:
        submit(user, service, data=data, files={"document": pdf_upload()})

    assert set(error.value.errors) == {"child_personal_code", "child_birth_date"}
    assert not Case.objects.exists()
    assert not CaseAttachment.objects.exists()
    assert not StatusChange.objects.exists()
    assert not CaseSequence.objects.exists()


@pytest.mark.parametrize(
    "upload, message_part",
    [
        (lambda: pdf_upload(size=11 * 1024), "too big"),
        (lambda: pdf_upload(name="virus.exe"), "not accepted"),
        (lambda: pdf_upload(name="fake.png"), "does not match"),
    ],
)
def test_submit_refuses_bad_files(upload, message_part):
    user = UserFactory()

    with translation.override("en"), pytest.raises(CaseValidationError) as error:
        submit(user, files={"document": upload()})

    assert message_part in " ".join(error.value.errors["document"])
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_submit_stores_file_under_random_name(settings):
    user = UserFactory()
    case = submit(user, files={"document": pdf_upload(name="../../etc/passwd.pdf")})

    attachment = case.attachments.get()
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith(f"cases/{case.service_id}/{case.pk}/")
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    assert attachment.file.read().startswith(b"%PDF")


def test_crash_between_case_and_first_history_row_leaves_neither():
    user = UserFactory()
    service = ServiceFactory()

    with (
        mock.patch.object(StatusChange.objects, "create", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        submit(user, service, files={"document": pdf_upload()})

    assert not Case.objects.exists()
    assert not CaseAttachment.objects.exists()
    assert not AuditEvent.objects.filter(action="case.submit").exists()


def test_submit_refuses_wrong_audience_and_unpublished_service():
    user = UserFactory()
    with pytest.raises(ServiceNotAvailable):
        submit(user, ServiceFactory(audience="organisation"))
    with pytest.raises(ServiceNotAvailable):
        submit(user, ServiceFactory(state="draft"))
    assert not Case.objects.exists()


def test_submit_for_someone_one_does_not_represent_is_refused():
    user = UserFactory()
    stranger = PersonFactory()
    with pytest.raises(ActorNotAllowed):
        submit(user, client=stranger, basis=Basis.LEGAL_REPRESENTATION)
    assert not Case.objects.exists()


def test_submit_for_child_and_company():
    link = ParentChildFactory()
    parent_user = UserFactory(person=link.parent)
    case = submit(
        parent_user,
        ServiceFactory(minor_may_be_client=True),
        client=link.child,
        basis=Basis.LEGAL_REPRESENTATION,
    )
    assert case.client_person == link.child and case.basis == Basis.LEGAL_REPRESENTATION

    board = BoardMembershipFactory()
    member_user = UserFactory(person=board.person)
    org_service = ServiceFactory(audience="organisation")
    case = submit(member_user, org_service, client=board.organisation, basis=Basis.LEGAL_REPRESENTATION)
    assert case.client_organisation == board.organisation and case.client_person is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="select_for_update needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_numbers_unique_under_concurrent_submissions():
    from django.db import connections

    service = ServiceFactory(code="1011")
    users = [UserFactory() for _ in range(8)]
    numbers, errors = [], []
    barrier = threading.Barrier(len(users))

    def worker(user):
        try:
            barrier.wait()
            for _ in range(3):
                numbers.append(submit(user, service).number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert len(numbers) == 24
    assert sorted(numbers) == [f"1011-{n:07d}" for n in range(1, 25)]
    assert Case.objects.count() == 24


# --- the status pipeline -------------------------------------------------------------------------

LEGAL = sorted((frm, to) for frm, targets in TRANSITIONS.items() for to in targets)
ILLEGAL = sorted(
    (frm, to) for frm in S.values for to in S.values if to not in TRANSITIONS[frm] and frm != to
) + [(S.SUBMITTED, "nonsense")]


def case_in(status, *, fee: bool = False):
    if fee:  # a service paid afterwards (no invoice at submission), whose cases may wait for payment
        service = ServiceFactory(fee_eur=Decimal("5.00"), payment_mode=PaymentMode.POSTPAYMENT)
        return CaseFactory(status=status, service=service)
    return CaseFactory(status=status)


@pytest.mark.parametrize("frm, to", LEGAL)
def test_legal_transitions_are_written_with_history(frm, to):
    case = case_in(frm, fee=S.AWAITING_PAYMENT in (frm, to))
    staff = staff_of(case.service.agency)

    services.case_change_status(actor=Actor(user=staff, channel=Channel.AGENCY), case=case, to=to, note="ok")

    case.refresh_from_db()
    assert case.status == to
    last = case.status_changes.order_by("-seq").first()
    assert (last.from_status, last.to_status, last.actor, last.note) == (frm, to, staff, "ok")
    assert AuditEvent.objects.filter(action="case.status", object_id=str(case.pk)).exists()


@pytest.mark.parametrize("frm", [S.SUBMITTED, S.IN_PROGRESS])
def test_a_case_of_a_free_service_never_waits_for_payment(frm):
    case = case_in(frm)
    rows = case.status_changes.count()

    with pytest.raises(InvalidTransition):
        services.case_change_status(actor=Actor.system("API: test"), case=case, to=S.AWAITING_PAYMENT)

    case.refresh_from_db()
    assert case.status == frm and case.status_changes.count() == rows


@pytest.mark.parametrize("frm, to", ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(frm, to):
    case = case_in(frm)
    rows = case.status_changes.count()

    with pytest.raises(InvalidTransition) as error:
        services.case_change_status(actor=Actor.system("API: test"), case=case, to=to)

    assert error.value.current == frm and error.value.requested == to
    with translation.override("en"):
        assert "cannot move" in error.value.message
    case.refresh_from_db()
    assert case.status == frm
    assert case.status_changes.count() == rows


def test_history_seq_increases_and_system_label_kept():
    case = case_in(S.SUBMITTED)
    services.case_change_status(actor=Actor.system("API: VSAA back office"), case=case, to=S.REGISTERED)
    services.case_change_status(actor=Actor.system("API: VSAA back office"), case=case, to=S.IN_PROGRESS)

    rows = list(case.status_changes.order_by("seq").values_list("seq", "to_status", "system_label"))
    assert rows == [
        (1, S.SUBMITTED, ""),
        (2, S.REGISTERED, "API: VSAA back office"),
        (3, S.IN_PROGRESS, "API: VSAA back office"),
    ]


@pytest.mark.parametrize(
    "status, allowed",
    [
        (S.SUBMITTED, True),
        (S.REGISTERED, True),
        (S.NEEDS_INFO, False),
        (S.IN_PROGRESS, False),
        (S.AWAITING_PAYMENT, False),
        (S.COMPLETED, False),
    ],
)
def test_client_withdraws_only_before_work_starts(status, allowed):
    user = UserFactory()
    case = CaseFactory(status=status, client_person=user.person)
    if allowed:
        services.case_withdraw(actor=Actor(user=user), case=case, note="not needed")
        case.refresh_from_db()
        assert case.status == S.WITHDRAWN
        assert AuditEvent.objects.filter(action="case.withdraw").exists()
    else:
        with pytest.raises((NotAllowed, InvalidTransition)):
            services.case_withdraw(actor=Actor(user=user), case=case)
        case.refresh_from_db()
        assert case.status == status


def test_needs_info_question_and_answer_with_file():
    user = UserFactory()
    case = CaseFactory(status=S.IN_PROGRESS, client_person=user.person)
    staff = staff_of(case.service.agency)

    services.case_request_info(
        actor=Actor(user=staff, channel=Channel.AGENCY),
        case=case,
        question="Please attach the birth certificate.",
    )
    services.case_answer_info(
        actor=Actor(user=user), case=case, answer="Attached.", file=pdf_upload(name="dz.pdf")
    )

    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    question, answer = case.status_changes.order_by("seq")[2:]
    assert (question.to_status, question.note, question.actor) == (
        S.NEEDS_INFO,
        "Please attach the birth certificate.",
        staff,
    )
    assert (answer.to_status, answer.note, answer.actor) == (S.IN_PROGRESS, "Attached.", user)
    assert answer.attachments.get().kind == CaseAttachment.Kind.CLIENT_ANSWER
    assert AuditEvent.objects.filter(action="case.request_info").exists()


def test_answer_needs_text_and_a_needs_info_case():
    user = UserFactory()
    case = CaseFactory(status=S.NEEDS_INFO, client_person=user.person)
    with pytest.raises(CaseValidationError):
        services.case_answer_info(actor=Actor(user=user), case=case, answer="  ")
    with pytest.raises(CaseValidationError):
        services.case_answer_info(
            actor=Actor(user=user), case=case, answer="x", file=pdf_upload(name="a.exe")
        )
    other = CaseFactory(status=S.IN_PROGRESS, client_person=user.person)
    with pytest.raises(InvalidTransition):
        services.case_answer_info(actor=Actor(user=user), case=other, answer="hello")
    assert not CaseAttachment.objects.exists()


def test_result_document_delivered_and_case_completed():
    user = UserFactory()
    case = CaseFactory(status=S.IN_PROGRESS, client_person=user.person)
    staff = staff_of(case.service.agency)

    services.case_attach_result(
        actor=Actor(user=staff, channel=Channel.AGENCY),
        case=case,
        file=pdf_upload(name="lēmums.pdf"),
        complete=True,
    )

    case.refresh_from_db()
    assert case.status == S.COMPLETED and case.completed_at
    assert case.result_document_name == "lēmums.pdf"
    assert case.result_document.name.startswith("cases/")
    document = Document.objects.get(person=user.person)
    assert document.file.read().startswith(b"%PDF")
    assert Message.objects.filter(person=user.person, subject__contains=case.number).exists()
    assert AuditEvent.objects.filter(action="case.attach_result", object_id=str(case.pk)).exists()


def test_result_document_wrong_type_refused():
    case = CaseFactory(status=S.IN_PROGRESS)
    staff = staff_of(case.service.agency)
    with pytest.raises(CaseValidationError):
        services.case_attach_result(
            actor=Actor(user=staff, channel=Channel.AGENCY),
            case=case,
            file=pdf_upload(name="x.exe"),
            complete=True,
        )
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS and not case.result_document


def test_register_received_writes_path_of_history():
    person = PersonFactory()
    service = ServiceFactory(code="1013")
    case = services.case_register_received(
        actor=Actor.system("API: VSAA", channel=Channel.POST),
        service=service,
        client=person,
        status=S.IN_PROGRESS,
    )
    assert case.number == "1013-0000001" and case.basis == Basis.AGENCY_REGISTRATION
    assert list(case.status_changes.order_by("seq").values_list("from_status", "to_status")) == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.REGISTERED),
        (S.REGISTERED, S.IN_PROGRESS),
    ]
    with pytest.raises(InvalidTransition):
        services.case_register_received(
            actor=Actor.system("x", channel=Channel.POST), service=service, client=person, status="bogus"
        )


# --- notifications -------------------------------------------------------------------------------


def test_notification_sent_once_on_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(user)
    assert len(mail.outbox) == 1
    assert case.number in mail.outbox[0].subject
    change = case.status_changes.get()
    # a second run (a retried task) sends nothing more
    assert services.case_notify_client_send(case_id=case.pk, status_change_id=change.pk) is False
    assert len(mail.outbox) == 1
    assert Message.objects.filter(source_key=f"case-status:{change.pk}").count() == 1


def test_no_email_without_address(django_capture_on_commit_callbacks):
    user = UserFactory(person=PersonFactory(email=""))
    with django_capture_on_commit_callbacks(execute=True):
        submit(user)
    assert mail.outbox == []


# --- consultations and feedback ------------------------------------------------------------------


def test_consultation_anonymous_and_identified():
    staff = staff_of(AgencyFactory())
    anonymous = services.consultation_register(
        actor=Actor(user=staff, channel=Channel.PHONE),
        channel=Channel.PHONE,
        topic="Pabalsts",
        duration_minutes=5,
        outcome="answered",
        anonymous_phone="+37120000000",
    )
    assert anonymous.is_anonymous and anonymous.anonymous_phone == "+37120000000"
    person = PersonFactory()
    identified = services.consultation_register(
        actor=Actor(user=staff, channel=Channel.VPVKAC),
        channel=Channel.VPVKAC,
        topic="Pase",
        duration_minutes=12,
        outcome="referred",
        client=person,
        service=ServiceFactory(),
    )
    assert identified.client_person == person
    assert AuditEvent.objects.filter(action="consultation.register").count() == 2
    with pytest.raises(CaseValidationError):
        services.consultation_register(
            actor=Actor(user=staff, channel=Channel.PHONE),
            channel=Channel.PHONE,
            topic="",
            duration_minutes=0,
            outcome="answered",
        )


def test_feedback_once_and_only_on_completed():
    user = UserFactory()
    open_case = CaseFactory(status=S.IN_PROGRESS, client_person=user.person)
    with pytest.raises(NotAllowed):
        services.feedback_give_for_case(actor=Actor(user=user), case=open_case, rating=5)
    case = CaseFactory(status=S.COMPLETED, client_person=user.person)
    services.feedback_give_for_case(actor=Actor(user=user), case=case, rating=4, comment="Ātri")
    with pytest.raises(NotAllowed):
        services.feedback_give_for_case(actor=Actor(user=user), case=case, rating=1)
    with pytest.raises(CaseValidationError):
        services.feedback_give_for_case(
            actor=Actor(user=user), case=CaseFactory(status=S.COMPLETED), rating=9
        )
    assert Feedback.objects.get().rating == 4


def test_feedback_on_consultation_once():
    staff = staff_of(AgencyFactory())
    consultation = services.consultation_register(
        actor=Actor(user=staff, channel=Channel.PHONE),
        channel=Channel.PHONE,
        topic="x",
        duration_minutes=3,
        outcome="answered",
    )
    services.feedback_give_for_consultation(actor=Actor(), consultation=consultation, rating=5)
    with pytest.raises(NotAllowed):
        services.feedback_give_for_consultation(actor=Actor(), consultation=consultation, rating=5)


def test_authorised_filing_by_a_centre_specialist_only():
    from .factories import StaffRoleFactory

    role = StaffRoleFactory(kind="centre_specialist")
    specialist, centre = role.user, role.centre
    client_person = PersonFactory(has_eid=False)
    service = ServiceFactory(authorised_filing_allowed=True)

    def file(user, reference="PILN-1", svc=service):
        return services.case_submit(
            actor=Actor(
                user=user,
                principal=client_person,
                basis=Basis.AUTHORISED_FILING,
                channel=Channel.VPVKAC,
                assurance="high",
                centre_id=centre.pk,
            ),
            service=svc,
            client=client_person,
            data=dict(VALID_DATA),
            authorisation_reference=reference,
        )

    case = file(specialist)
    assert case.basis == Basis.AUTHORISED_FILING and case.centre == centre and case.submitted_by == specialist
    with pytest.raises(ActorNotAllowed):
        file(UserFactory())
    with pytest.raises(CaseValidationError):
        file(specialist, reference="")
    with pytest.raises(ActorNotAllowed):
        file(specialist, svc=ServiceFactory(authorised_filing_allowed=False))
    assert Case.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="select_for_update needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_racing_status_pushes_are_kept_in_order_or_refused():
    from django.db import connections

    case = CaseFactory(status=S.SUBMITTED)
    outcomes, barrier = [], threading.Barrier(6)

    def push(to):
        try:
            barrier.wait()
            services.case_change_status(
                actor=Actor.system("API: race"), case=Case.objects.get(pk=case.pk), to=to
            )
            outcomes.append(("ok", to))
        except InvalidTransition as error:
            outcomes.append(("refused", error.requested))
        finally:
            connections.close_all()

    targets = [S.REGISTERED, S.REGISTERED, S.REGISTERED, S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS]
    threads = [threading.Thread(target=push, args=(to,)) for to in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    rows = list(case.status_changes.order_by("seq").values_list("seq", "from_status", "to_status"))
    # every accepted push is in the history, in order, chained from status to status; the rest were refused
    accepted = [o for o in outcomes if o[0] == "ok"]
    assert len(rows) == 1 + len(accepted)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    for previous, current in zip(rows, rows[1:], strict=False):
        assert current[1] == previous[2]
    assert sum(1 for o in accepted if o[1] == S.REGISTERED) == 1
    assert len(outcomes) == 6
