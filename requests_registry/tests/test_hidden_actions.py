"""Every action a page may hide, POSTed directly while the page would hide it: refused, nothing changed.

The page and the service ask the same predicate (requests_registry.rules); these tests make sure
the service refuses on its own.
"""

import pytest
from django.urls import reverse

from eaccount.models import Document, Message
from requests_registry import rules
from requests_registry.constants import FINAL_STATUSES, CaseStatus
from requests_registry.models import Case, CaseAttachment, Feedback, StatusChange

from .factories import CaseFactory, UserFactory, login, pdf_upload, staff_of

pytestmark = pytest.mark.django_db
S = CaseStatus


def snapshot(case):
    case.refresh_from_db()
    return (
        case.status,
        case.assigned_to_id,
        str(case.result_document or ""),
        StatusChange.objects.filter(case=case).count(),
        CaseAttachment.objects.filter(case=case).count(),
        Feedback.objects.filter(case=case).count(),
        Message.objects.count(),
        Document.objects.count(),
    )


def url(name, case):
    return reverse(f"requests_registry:{name}", kwargs={"number": case.number})


# --- the client's actions ------------------------------------------------------------------------


def client_case(client, status):
    user = UserFactory()
    login(client, user)
    return CaseFactory(status=status, client_person=user.person)


@pytest.mark.parametrize("status", sorted(set(S.values) - {S.SUBMITTED, S.REGISTERED}))
def test_withdraw_is_refused_once_the_work_started(client, status):
    case = client_case(client, status)
    assert not rules.case_withdraw_allowed(case)
    assert "case-withdraw" not in client.get(case.get_absolute_url()).content.decode()
    before = snapshot(case)

    client.post(url("case-withdraw", case), {"note": "x"})

    assert snapshot(case) == before


@pytest.mark.parametrize("status", sorted(set(S.values) - {S.NEEDS_INFO}))
def test_answer_is_refused_unless_information_was_asked(client, status):
    case = client_case(client, status)
    assert not rules.case_answer_allowed(case)
    before = snapshot(case)

    client.post(url("case-answer", case), {"answer": "here", "attachment": pdf_upload()})

    assert snapshot(case) == before


@pytest.mark.parametrize("status", sorted(set(S.values) - {S.COMPLETED}))
def test_feedback_is_refused_on_a_case_not_completed(client, status):
    case = client_case(client, status)
    assert not rules.case_feedback_allowed(case, feedback_given=False)
    before = snapshot(case)

    client.post(url("case-feedback", case), {"rating": "5", "comment": ""})

    assert snapshot(case) == before


def test_feedback_is_refused_the_second_time(client):
    case = client_case(client, S.COMPLETED)
    Feedback.objects.create(case=case, rating=3)
    assert not rules.case_feedback_allowed(case, feedback_given=True)
    before = snapshot(case)

    client.post(url("case-feedback", case), {"rating": "5", "comment": ""})

    assert snapshot(case) == before
    assert Feedback.objects.get(case=case).rating == 3


# --- the agency's actions ------------------------------------------------------------------------


def staff_case(client, status, **extra):
    case = CaseFactory(status=status, **extra)
    staff = staff_of(case.service.agency)
    login(client, staff)
    return case, staff


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_status_change_from_a_final_status_is_refused(client, status):
    case, _staff = staff_case(client, status)
    assert not rules.case_status_targets(case)
    before = snapshot(case)

    response = client.post(url("agency-case-status", case), {"to": S.IN_PROGRESS, "note": ""})

    assert response.status_code == 400
    assert snapshot(case) == before


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_PROGRESS])
def test_a_free_service_is_never_put_to_await_payment(client, status):
    case, _staff = staff_case(client, status)
    assert S.AWAITING_PAYMENT not in rules.case_status_targets(case)
    page = client.get(url("agency-case-detail", case)).content.decode()
    assert 'value="awaiting_payment"' not in page
    before = snapshot(case)

    response = client.post(url("agency-case-status", case), {"to": S.AWAITING_PAYMENT, "note": ""})

    assert response.status_code == 400
    assert snapshot(case) == before


@pytest.mark.parametrize("status", [s for s in S.values if s != S.IN_PROGRESS])
def test_asking_for_information_is_refused_unless_in_progress(client, status):
    case, _staff = staff_case(client, status)
    assert not rules.case_request_info_allowed(case)
    before = snapshot(case)

    response = client.post(url("agency-case-request-info", case), {"question": "Which bank?"})

    assert response.status_code == 400
    assert snapshot(case) == before


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_a_result_on_a_closed_case_is_refused(client, status):
    case, _staff = staff_case(client, status)
    assert not rules.case_result_allowed(case)
    page = client.get(url("agency-case-detail", case)).content.decode()
    assert url("agency-case-result", case) not in page
    before = snapshot(case)

    response = client.post(
        url("agency-case-result", case), {"title": "Lēmums", "document": pdf_upload(), "note": ""}
    )

    assert response.status_code == 409
    assert snapshot(case) == before


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_taking_a_closed_case_is_refused(client, status):
    case, _staff = staff_case(client, status)
    page = client.get(url("agency-case-detail", case)).content.decode()
    assert url("agency-case-take", case) not in page
    before = snapshot(case)

    response = client.post(url("agency-case-take", case))

    assert response.status_code == 409
    assert snapshot(case) == before


def test_taking_a_case_already_mine_is_refused(client):
    case, staff = staff_case(client, S.REGISTERED)
    Case.objects.filter(pk=case.pk).update(assigned_to=staff)
    case.refresh_from_db()
    assert not rules.case_take_allowed(case, user=staff)
    before = snapshot(case)

    response = client.post(url("agency-case-take", case))

    assert response.status_code == 409
    assert snapshot(case) == before
