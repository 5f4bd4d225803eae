"""With the broker away, a citizen's submission, a staff status change and an API registration answer
as usual, once; their notifications wait in the outbox and go out, once, when the broker is back."""

import datetime

import pytest
from celery import current_app
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api_clients import services as api_client_services
from eaccount.models import Message
from outbox import services as outbox
from outbox.models import OutboxMessage
from requests_registry.models import Case, StatusChange

from .factories import VALID_DATA, CaseFactory, ServiceFactory, UserFactory, login, pdf_upload, staff_of

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there: connecting is refused at once


@pytest.fixture
def broker():
    """Switch the broker off (a closed port, no eager mode) and, with `.back()`, on again (eager:
    the relayed task runs here, so the test sees it run)."""
    conf = current_app.conf
    saved = {key: conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")}
    conf.update(broker_url=CLOSED_PORT, broker_write_url=CLOSED_PORT, task_always_eager=False)

    class Switch:
        @staticmethod
        def back():
            conf.update(task_always_eager=True)
            OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
            return outbox.relay_pending()

    yield Switch
    conf.update(saved)


def test_a_submission_with_the_broker_down_is_taken_once_and_told_once_the_broker_is_back(
    client, broker, django_capture_on_commit_callbacks
):
    user = UserFactory()
    service = ServiceFactory()
    login(client, user)
    url = reverse("requests_registry:apply", kwargs={"code": service.code})
    client.post(url, {**VALID_DATA, "action": "check", "document": pdf_upload()})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "submit"})
    again = client.post(url, {"action": "submit"})  # the draft is gone: a second press files nothing

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert again.status_code == 302 and Case.objects.count() == 1
    pending = OutboxMessage.objects.get()
    assert pending.sent_at is None and "Error" in pending.last_error
    assert not Message.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail's own task goes after the commit
        assert broker.back() == 1
        assert broker.back() == 0
    assert Message.objects.filter(person=user.person).count() == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_status_change_with_the_broker_down_is_made_once(
    client, broker, django_capture_on_commit_callbacks
):
    case = CaseFactory(status="registered")
    login(client, staff_of(case.service.agency))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("requests_registry:agency-case-status", kwargs={"number": case.number}),
            {"to": "in_progress", "note": "", "visible_to_client": "on"},
        )

    assert response.status_code == 302
    assert StatusChange.objects.filter(case=case, to_status="in_progress").count() == 1
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
    assert broker.back() == 1
    assert Message.objects.count() == 1


def test_an_api_registration_retried_with_the_broker_down_creates_one_case(
    broker, django_capture_on_commit_callbacks
):
    service = ServiceFactory()
    key = api_client_services.api_client_create(agency=service.agency, name="Back office").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {
        "service": service.code,
        "client": {"personal_code": "161175-19997", "first_name": "Anna", "last_name": "Ozola"},
        "channel": "post",
        "status": "registered",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        second = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == 201 and second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert Case.objects.filter(service=service).count() == 1
    assert broker.back() >= 1
