"""The inbox's pages: the message page (read on opening, attachments, the case's thread, the
sender and the language shown), unread and archive, the header's unread count, and what a stranger
or a delegate of another service gets for a message that is not theirs (404, audited, unchanged)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from catalogue.tests.factories import ServiceFactory
from eaccount.inbox import document_deliver, message_send
from eaccount.models import Message
from eaccount.tests.factories import ParentChildFactory, UserFactory
from eaccount.tests.test_inbox import act_for, give_delegation, login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def anna():
    return UserFactory()


@pytest.fixture
def service():
    return ServiceFactory()


def send(owner, service, **extra) -> Message:
    fields = {"sender_label": "Kāds", "subject": "Lēmums pieņemts", "service_code": service.code}
    return message_send(to=owner, **{**fields, **extra})


def page(client, message):
    return client.get(reverse("eaccount:inbox-message", kwargs={"pk": message.pk}))


def unread_count(client) -> str:
    html = client.get(reverse("eaccount:inbox")).content.decode()
    marker = 'data-testid="unread-count">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else "0"


def test_opening_a_message_reads_it_and_the_header_counts_the_rest(client, anna, service):
    first, second = send(anna.person, service), send(anna.person, service)
    login(client, anna)
    assert unread_count(client) == "2"

    response = page(client, first)

    assert response.status_code == 200
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert unread_count(client) == "1"
    read_at = first.read_at
    page(client, first)
    first.refresh_from_db()
    assert first.read_at == read_at  # the first reading counts


def test_mark_unread_archive_and_back(client, anna, service):
    message = send(anna.person, service, subject="Arhivējamā")
    login(client, anna)
    page(client, message)

    client.post(reverse("eaccount:inbox-message-unread", kwargs={"pk": message.pk}))
    message.refresh_from_db()
    assert message.read_at is None and unread_count(client) == "1"

    client.post(reverse("eaccount:inbox-message-archive", kwargs={"pk": message.pk}))
    inbox = client.get(reverse("eaccount:inbox"))
    archive = client.get(reverse("eaccount:inbox") + "?folder=archive")
    assert list(inbox.context["inbox_messages"]) == [] and unread_count(client) == "0"
    assert list(archive.context["inbox_messages"]) == [message]

    client.post(reverse("eaccount:inbox-message-unarchive", kwargs={"pk": message.pk}))
    assert list(client.get(reverse("eaccount:inbox")).context["inbox_messages"]) == [message]


def test_unread_only_filter(client, anna, service):
    read, unread = (
        send(anna.person, service, subject="Lasītā"),
        send(anna.person, service, subject="Nelasītā"),
    )
    login(client, anna)
    page(client, read)

    response = client.get(reverse("eaccount:inbox") + "?unread=1")

    assert list(response.context["inbox_messages"]) == [unread]


def test_the_sender_is_the_agency_of_the_service_not_the_label(client, anna, service):
    message = send(anna.person, service, sender_label="Jebkas, ko raksta sūtītājs")
    login(client, anna)

    html = page(client, message).content.decode()

    assert message.sender_agency_id == service.agency_id
    assert service.agency.name_lv in html and "Jebkas" not in html


def test_the_message_is_shown_in_the_pages_language_where_both_are_given(client, anna, service):
    message = send(
        anna.person, service, subject="Lēmums", body="Teksts", subject_en="Decision", body_en="Text"
    )
    login(client, anna)

    latvian = page(client, message).content.decode()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = page(client, message).content.decode()

    assert "Lēmums" in latvian and "Teksts" in latvian
    assert "Decision" in english and "Text" in english and "Lēmums" not in english


def test_attachments_and_the_cases_thread(client, anna, service):
    number = f"{service.code}-0000042"
    asked = send(anna.person, service, subject="Vajag informāciju", case_number=number)
    result = send(anna.person, service, subject="Rezultāts gatavs", case_number=number)
    other_case = send(anna.person, service, subject="Cita lieta", case_number=f"{service.code}-0000043")
    document = document_deliver(
        to=anna.person,
        title="Lēmums",
        file=ContentFile(PDF),
        original_name="lemums.pdf",
        issuer_label="VSAA",
        service_code=service.code,
        message=result,
    )
    login(client, anna)

    response = page(client, result)

    assert response.context["attachments"] == [document]
    assert response.context["thread"] == [asked]
    assert other_case not in response.context["thread"]
    html = response.content.decode()
    assert reverse("eaccount:inbox-document", kwargs={"pk": document.pk}) in html


def test_downloading_an_attachment_reads_its_message(client, anna, service):
    message = send(anna.person, service)
    document = document_deliver(
        to=anna.person,
        title="Lēmums",
        file=ContentFile(PDF),
        original_name="lemums.pdf",
        issuer_label="VSAA",
        service_code=service.code,
        message=message,
    )
    login(client, anna)

    response = client.get(reverse("eaccount:inbox-document", kwargs={"pk": document.pk}))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None


@pytest.mark.parametrize("action", ["view", "inbox-message-unread", "inbox-message-archive"])
def test_a_strangers_attempt_is_404_audited_and_changes_nothing(client, anna, service, action):
    message = send(anna.person, service)
    login(client, UserFactory())

    if action == "view":
        response = page(client, message)
    else:
        response = client.post(reverse(f"eaccount:{action}", kwargs={"pk": message.pk}))

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None and message.archived_at is None
    refused = AuditEvent.objects.filter(action="eaccount.message_access_refused", object_id=str(message.pk))
    assert refused.count() == 1


def test_a_missing_message_is_404_without_a_trace(client, anna):
    login(client, anna)

    response = client.get(reverse("eaccount:inbox-message", kwargs={"pk": 987654}))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="eaccount.message_access_refused").exists()


def test_a_delegate_opens_the_delegated_services_messages_only(client, anna, service):
    other = ServiceFactory()
    delegated, not_delegated, general = (
        send(anna.person, service),
        send(anna.person, other),
        message_send(to=anna.person, sender_label="VID", subject="Vispārīgs"),
    )
    delegate = UserFactory()
    give_delegation(client, principal=anna, delegate=delegate, services=[service])
    act_for(client, delegate, anna.person)

    assert page(client, delegated).status_code == 200
    assert page(client, not_delegated).status_code == 404
    assert page(client, general).status_code == 404
    archive = client.post(reverse("eaccount:inbox-message-archive", kwargs={"pk": not_delegated.pk}))
    assert archive.status_code == 404


def test_a_parent_reads_the_childs_messages(client, service):
    parent = UserFactory()
    child = ParentChildFactory(parent=parent.person).child
    message = send(child, service)
    act_for(client, parent, child)

    assert page(client, message).status_code == 200


def test_actions_need_post(client, anna, service):
    message = send(anna.person, service)
    login(client, anna)

    response = client.get(reverse("eaccount:inbox-message-archive", kwargs={"pk": message.pk}))

    assert response.status_code == 405


def test_the_message_page_runs_a_fixed_number_of_queries(client, anna, service, django_assert_num_queries):
    number = f"{service.code}-0000042"
    message = send(anna.person, service, case_number=number)
    login(client, anna)
    page(client, message)
    page(client, message)  # warm: roles, principals, the unread count

    with CaptureQueriesContext(connection) as small:
        page(client, message)
    small_count = len(small.captured_queries)  # now: the context slices the connection's log lazily
    for _ in range(10):
        send(anna.person, service, case_number=number)
        document_deliver(
            to=anna.person,
            title="Pielikums",
            file=ContentFile(PDF),
            original_name="p.pdf",
            issuer_label="VSAA",
            service_code=service.code,
            message=message,
        )
    page(client, message)  # the new messages made the unread count stale
    with django_assert_num_queries(small_count):
        response = page(client, message)
    assert small_count == 4  # the frame's user; the message, its attachments, its thread
    assert len(response.context["thread"]) == 10 and len(response.context["attachments"]) == 10
