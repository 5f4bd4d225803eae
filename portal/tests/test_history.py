"""The interaction history (concept 4.4.3.3): one timeline of cases and their client-visible status
changes, consultations, messages, documents and feedback, for the principal acted for, filtered,
searched, paged by a keyset, exported as a streamed CSV and as a PDF statement."""

from __future__ import annotations

import re
import zlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegation.selectors import principal_self
from delegation.services import delegation_grant
from eaccount.inbox import document_deliver, message_send
from kernel.actors import Actor
from portal import history
from requests_registry import services as registry_services
from requests_registry.constants import Basis, Channel
from requests_registry.models import Feedback, StatusChange
from requests_registry.tests.factories import (
    AgencyFactory,
    CaseFactory,
    ParentChildFactory,
    ServiceFactory,
    UserFactory,
    login,
    staff_of,
)

pytestmark = pytest.mark.django_db

URL = "/account/history/"
LATVIAN = "āčēģīķļņšūž"


def _consultation(person, *, topic="Kā pieteikt pabalstu?", channel="phone", service=None):
    agency = service.agency if service is not None else AgencyFactory()
    return registry_services.consultation_register(
        actor=Actor(user=staff_of(agency), channel=channel),
        channel=channel,
        topic=topic,
        duration_minutes=5,
        outcome="answered",
        service=service or ServiceFactory(agency=agency),
        agency=agency,
        client=person,
    )


def _message(owner, *, subject="Paziņojums", code=""):
    return message_send(to=owner, sender_label="VSAA", subject=subject, service_code=code)


def _document(owner, *, title="Lēmums", code=""):
    return document_deliver(
        to=owner,
        title=title,
        file=ContentFile(b"%PDF-1.4\n"),
        original_name=f"{title}.pdf",
        issuer_label="VSAA",
        service_code=code,
    )


@pytest.fixture
def anna():
    """Anna with one item of every kind, a case filed for her at a one-stop centre, and a stranger's."""
    user = UserFactory(person__first_name="Anna", person__last_name="Bērziņa")
    own = ServiceFactory(agency=AgencyFactory(code="VSAA"), title_lv="Bērna piedzimšanas pabalsts")
    other = ServiceFactory(agency=AgencyFactory(code="PMLP"), title_lv="Pases izsniegšana", delegable=True)
    case = CaseFactory(service=own, client_person=user.person)
    at_centre = CaseFactory(
        service=other, client_person=user.person, channel=Channel.VPVKAC, basis=Basis.AUTHORISED_FILING
    )
    StatusChange.objects.create(
        case=case, seq=2, from_status="submitted", to_status="registered", note="Reģistrēts"
    )
    StatusChange.objects.create(
        case=case, seq=3, from_status="registered", to_status="in_progress", visible_to_client=False
    )
    consultation = _consultation(user.person, topic="Konsultācija par pabalstu", service=own)
    Feedback.objects.create(case=case, rating=4)
    _message(user.person, subject="Jūsu iesniegums saņemts", code=own.code)
    _message(user.person, subject="Vispārīgs paziņojums")
    _document(user.person, title="Lēmums par pabalstu", code=own.code)
    stranger = UserFactory()
    CaseFactory(service=own, client_person=stranger.person)
    _message(stranger.person, subject="Svešs ziņojums", code=own.code)
    _consultation(stranger.person, topic="Sveša konsultācija")
    return {
        "user": user,
        "case": case,
        "at_centre": at_centre,
        "consultation": consultation,
        "own": own,
        "other": other,
        "stranger": stranger,
    }


def _scope(user):
    return history.Scope(
        user=user, principal=principal_self(user=user), actor=Actor(user=user, principal=user.person)
    )


def _entries(response):
    return response.context["page"].entries


def _titles(response):
    return [e.title for e in _entries(response)]


def test_every_kind_appears_newest_first_and_nothing_of_a_strangers(client, anna):
    login(client, anna["user"])
    response = client.get(URL)
    assert response.status_code == 200
    entries = _entries(response)
    assert {e.kind for e in entries} == {"status", "consultation", "message", "document", "feedback"}
    keys = [(e.at, e.kind, e.id) for e in entries]
    assert keys == sorted(keys, reverse=True)
    titles = " ".join(_titles(response))
    case = anna["case"]
    assert f"Case {case.number} filed" in titles or f"Lieta {case.number}" in titles or case.number in titles
    assert "Jūsu iesniegums saņemts" in titles and "Lēmums par pabalstu" in titles
    assert "Svešs" not in response.content.decode() and "Sveša" not in response.content.decode()
    # the hidden status change is not there: filed, registered (case), filed (centre case)
    assert len([e for e in entries if e.kind == "status"]) == 3
    # the consultation, and the case filed at the one-stop centre, marked
    assert any(e.kind == "consultation" and "Konsultācija par pabalstu" in e.title for e in entries)
    marked = [e for e in entries if e.filed_at_centre]
    assert {e.case_number for e in marked} == {anna["at_centre"].number}
    assert 'data-testid="filed-at-centre"' in response.content.decode()


def test_acting_for_a_child_shows_the_childs_only(client, anna):
    link = ParentChildFactory(parent=anna["user"].person)
    child_case = CaseFactory(service=anna["own"], client_person=link.child)
    login(client, anna["user"])
    client.post(reverse("delegation:act-for"), {"principal": f"person:{link.child.pk}"})
    entries = _entries(client.get(URL))
    assert {e.case_number for e in entries} == {child_case.number}


def test_a_delegate_sees_the_delegated_services_only(client, anna):
    agent = UserFactory()
    delegation_grant(
        principal=anna["user"].person,
        agent=agent.person,
        actor=Actor(user=anna["user"]),
        services=[anna["other"]],
    )
    login(client, agent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{anna['user'].person.pk}"})
    entries = _entries(client.get(URL))
    assert entries, "the delegated service's case is there"
    assert {e.service_code for e in entries} == {anna["other"].code}
    assert not any(e.kind in ("consultation", "message") for e in entries)


def test_a_stranger_sees_nothing_of_annas(client, anna):
    login(client, anna["stranger"])
    entries = _entries(client.get(URL))
    numbers = {e.case_number for e in entries}
    assert anna["case"].number not in numbers and anna["at_centre"].number not in numbers
    assert not any("Jūsu" in e.title or "pabalstu" in e.title for e in entries)


def test_filters_and_search(client, anna):
    login(client, anna["user"])
    own, other = anna["own"], anna["other"]

    def kinds_of(**params):
        return [(e.kind, e.service_code) for e in _entries(client.get(URL, params))]

    assert {k for k, _ in kinds_of(kind=["message"])} == {"message"}
    assert set(kinds_of(kind=["message", "document"])) <= {
        ("message", own.code),
        ("message", ""),
        ("document", own.code),
    }
    assert {code for _, code in kinds_of(service=own.code)} == {own.code}
    assert {code for _, code in kinds_of(agency="PMLP")} == {other.code}
    by_channel = _entries(client.get(URL, {"channel": "vpvkac"}))
    assert by_channel and all(e.filed_at_centre for e in by_channel)
    assert [e.title for e in _entries(client.get(URL, {"q": "iesniegums saņemts"}))] == [
        "Jūsu iesniegums saņemts"
    ]
    by_number = _entries(client.get(URL, {"q": anna["case"].number}))
    assert by_number and all(e.case_number == anna["case"].number for e in by_number)
    by_title = _entries(client.get(URL, {"q": "pases"}))  # the service's title, any case
    assert by_title and {e.service_code for e in by_title} == {other.code}
    future = _entries(client.get(URL, {"date_from": "2999-01-01"}))
    assert future == []
    assert _entries(client.get(URL, {"date_to": "2000-01-01"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "31.02.2026."},
        {"date_from": "2026-12-01", "date_to": "2026-11-01"},
        {"kind": ["nonsense"]},
        {"channel": "pigeon"},
        {"service": "999999"},
        {"after": "not-a-cursor"},
        {"q": "x" * 101},
    ],
)
def test_bad_filter_input_shows_errors_and_filters_nothing(client, anna, params):
    login(client, anna["user"])
    everything = _titles(client.get(URL))
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    assert _titles(response) == everything


def test_errors_in_the_users_language(client, anna):
    login(client, anna["user"])
    latvian = client.get(URL, {"date_from": "2026-13-45"}).content.decode()
    assert "Enter a valid date." not in latvian and 'class="error-summary"' in latvian
    client.cookies["django_language"] = "en"
    english = client.get(URL, {"date_from": "2026-13-45"}).content.decode()
    assert "Enter a valid date." in english


def test_keyset_pages_are_stable_when_entries_arrive(client, anna):
    user = anna["user"]
    for n in range(60):
        _message(user.person, subject=f"Ziņa {n:02d}", code=anna["own"].code)
    before = len(list(history.history_iter(scope=_scope(user))))
    login(client, user)
    seen = []
    response = client.get(URL)
    first_page = _entries(response)
    seen += [(e.kind, e.id) for e in first_page]
    # new entries arrive between page loads: they belong before the first page, not in the next ones
    _message(user.person, subject="Jauna ziņa")
    CaseFactory(service=anna["own"], client_person=user.person)
    cursor = response.context["page"].next_cursor
    while cursor is not None:
        response = client.get(URL, {"after": cursor.encode()})
        assert response.status_code == 200 and not response.context["form"].errors
        seen += [(e.kind, e.id) for e in _entries(response)]
        cursor = response.context["page"].next_cursor
    assert len(seen) == len(set(seen)), "no duplicates"
    assert len(seen) == before, "no skips: every entry of the first load, once"
    assert len([k for k, _ in seen if k == "message"]) == 62  # 60 + 2; the new one came after page 1


def test_fixed_query_count_at_two_sizes(client, anna):
    user = anna["user"]
    login(client, user)
    client.get(URL)  # warming: sessions, the principal caches

    def grow(n):
        for i in range(n):
            case = CaseFactory(service=anna["own"], client_person=user.person)
            Feedback.objects.create(case=case, rating=5)
            _consultation(user.person, topic=f"Jautājums {i}", service=anna["own"])
            _message(user.person, subject=f"Ziņa {i}", code=anna["other"].code)
            _document(user.person, title=f"Dokuments {i}", code=anna["own"].code)

    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    grow(15)
    client.get(URL)  # the new messages made the header's unread count stale: counted once, then cached
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
        assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.context["page"].has_next


def test_csv_is_streamed_with_bom_header_and_rows(client, anna):
    login(client, anna["user"])
    response = client.get(reverse("history-csv"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert re.match(r'attachment; filename="vesture-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"])
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    lines = text.splitlines()
    page_entries = _entries(client.get(URL))
    assert len(lines) == 1 + len(page_entries)
    assert "Jūsu iesniegums saņemts" in text and anna["at_centre"].number in text
    assert "Svešs" not in text
    only_messages = b"".join(
        client.get(reverse("history-csv"), {"kind": "message"}).streaming_content
    ).decode("utf-8-sig")
    assert len(only_messages.splitlines()) == 1 + 2


def test_csv_reads_in_batches(anna):
    user = anna["user"]
    for n in range(7):
        _message(user.person, subject=f"Ziņa {n}")
    scope = _scope(user)
    batched = list(history.history_iter(scope=scope, batch=3))
    whole = history.history_page(scope=scope, limit=1000).entries
    assert [(e.kind, e.id) for e in batched] == [(e.kind, e.id) for e in whole]


def _pdf_text_sources(pdf: bytes) -> bytes:
    """The PDF's streams, inflated (the ToUnicode maps name the characters the text uses)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_pdf_statement_embeds_a_font_with_the_latvian_letters(client, anna):
    _message(anna["user"].person, subject=f"Burti: {LATVIAN} {LATVIAN.upper()}")
    login(client, anna["user"])
    response = client.get(reverse("history-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    inflated = _pdf_text_sources(pdf)
    assert b"WeasyPrint" in inflated
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", inflated), "DejaVu Sans embedded (subset)"
    assert b"/FontFile" in inflated
    for letter in LATVIAN + LATVIAN.upper():
        code = f"{ord(letter):04X}".encode()
        assert re.search(rb"<" + code + rb">", inflated, re.I), f"{letter} is in the text"


def test_pages_need_login(client):
    for name in ("history", "history-csv", "history-pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 302
