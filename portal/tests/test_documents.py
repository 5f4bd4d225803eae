"""The e-account's documents page: delivered documents, files submitted with applications and
answers, and paper documents scanned at a one-stop centre, in one list; filtered by kind and service;
each download served only to those who may see it; a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.tests.factories import AgencyFactory
from delegation.services import delegation_grant
from eaccount.inbox import document_deliver
from eaccount.tests.factories import ParentChildFactory, UserFactory
from kernel.actors import Actor
from requests_registry.constants import CaseFileKind
from requests_registry.models import CaseAttachment
from requests_registry.tests.factories import CaseFactory, ServiceFactory, login

pytestmark = pytest.mark.django_db

URL = reverse("documents")


def _file(case, name, kind=CaseFileKind.APPLICATION, visible=True) -> CaseAttachment:
    attachment = CaseAttachment(case=case, kind=kind, original_name=name, visible_to_client=visible, size=9)
    attachment.file.save(name, ContentFile(b"%PDF-1.4\n"), save=True)
    return attachment


def _delivered(owner, title, code=""):
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
    user = UserFactory(person__first_name="Anna", person__last_name="Bērziņa")
    own = ServiceFactory(
        agency=AgencyFactory(code="VSAA"), title_lv="Bērna piedzimšanas pabalsts", delegable=True
    )
    other = ServiceFactory(agency=AgencyFactory(code="PMLP"), title_lv="Pases izsniegšana", delegable=True)
    case = CaseFactory(service=own, client_person=user.person)
    at_centre = CaseFactory(service=other, client_person=user.person, channel="vpvkac")
    files = {
        "application": _file(case, "dzimsanas-apliecība.pdf"),
        "answer": _file(case, "atbilde.pdf", kind=CaseFileKind.CLIENT_ANSWER),
        "scanned": _file(at_centre, "skenēts-iesniegums.pdf", kind=CaseFileKind.SCANNED),
        "internal": _file(case, "iekšējs.pdf", kind=CaseFileKind.INTERNAL, visible=False),
    }
    delivered = _delivered(user.person, "Lēmums par pabalstu", code=own.code)
    stranger = UserFactory()
    strangers_case = CaseFactory(service=own, client_person=stranger.person)
    _file(strangers_case, "svešs.pdf")
    _delivered(stranger.person, "Svešs lēmums", code=own.code)
    return {
        "user": user,
        "own": own,
        "other": other,
        "case": case,
        "files": files,
        "delivered": delivered,
        "stranger": stranger,
        "strangers_case": strangers_case,
    }


def _titles(response) -> list[str]:
    return [entry.title for entry in response.context["page"].entries]


def test_every_kind_in_one_list_newest_first_and_nothing_else(client, anna):
    login(client, anna["user"])

    response = client.get(URL)

    assert response.status_code == 200
    entries = response.context["page"].entries
    assert sorted(_titles(response)) == sorted(
        ["dzimsanas-apliecība.pdf", "atbilde.pdf", "skenēts-iesniegums.pdf", "Lēmums par pabalstu"]
    )
    keys = [(e.at, e.source, e.id) for e in entries]
    assert keys == sorted(keys, reverse=True)
    assert {e.kind for e in entries} == {"delivered", "uploaded", "scanned"}
    html = response.content.decode()
    assert "svešs" not in html.lower() and "iekšējs" not in html


@pytest.mark.parametrize(
    ("kind", "titles"),
    [
        ("delivered", ["Lēmums par pabalstu"]),
        ("uploaded", ["atbilde.pdf", "dzimsanas-apliecība.pdf"]),
        ("scanned", ["skenēts-iesniegums.pdf"]),
    ],
)
def test_filter_by_kind(client, anna, kind, titles):
    login(client, anna["user"])

    response = client.get(URL, {"kind": kind})

    assert sorted(_titles(response)) == titles


def test_filter_by_service(client, anna):
    login(client, anna["user"])

    response = client.get(URL, {"service": anna["other"].code})

    assert _titles(response) == ["skenēts-iesniegums.pdf"]


def test_bad_filters_show_an_error_and_filter_nothing(client, anna):
    login(client, anna["user"])

    response = client.get(URL, {"kind": "<script>", "after": "x.y.z"})

    assert response.status_code == 200
    assert len(response.context["page"].entries) == 4
    assert "error-summary" in response.content.decode()


def test_every_listed_link_downloads_for_the_owner(client, anna):
    login(client, anna["user"])

    entries = client.get(URL).context["page"].entries

    for entry in entries:
        response = client.get(entry.download_url)
        assert response.status_code == 200, entry
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_stranger_downloads_nothing(client, anna):
    login(client, anna["user"])
    urls = [e.download_url for e in client.get(URL).context["page"].entries]
    client.logout()
    login(client, anna["stranger"])

    assert all(client.get(url).status_code == 404 for url in urls)


def test_a_delegate_sees_the_delegated_services_documents_only(client, anna):
    delegate = UserFactory()
    delegation_grant(
        actor=Actor(user=anna["user"]),
        principal=anna["user"].person,
        agent=delegate.person,
        services=[anna["other"]],
    )
    login(client, delegate)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{anna['user'].person.pk}"})

    response = client.get(URL)

    assert _titles(response) == ["skenēts-iesniegums.pdf"]
    application = anna["files"]["application"]
    hidden = reverse(
        "requests_registry:case-file", kwargs={"number": anna["case"].number, "attachment_id": application.pk}
    )
    assert client.get(hidden).status_code == 404
    delivered = reverse("eaccount:inbox-document", kwargs={"pk": anna["delivered"].pk})
    assert client.get(delivered).status_code == 404


def test_a_parent_sees_the_childs_documents(client):
    parent = UserFactory()
    child = ParentChildFactory(parent=parent.person).child
    case = CaseFactory(client_person=child)
    _file(case, "bērna-dokuments.pdf")
    login(client, parent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{child.pk}"})

    response = client.get(URL)

    assert _titles(response) == ["bērna-dokuments.pdf"]


def test_pages_follow_a_stable_keyset(client, anna, monkeypatch):
    from portal import documents

    monkeypatch.setattr(documents, "PAGE_SIZE", 3)
    login(client, anna["user"])

    first = client.get(URL)
    assert first.context["page"].has_next
    second = client.get(URL + "?" + first.context["next_query"])

    seen = _titles(first) + _titles(second)
    assert len(seen) == 4 and len(set(seen)) == 4
    assert not second.context["page"].has_next


def test_a_fixed_number_of_queries_whatever_the_data(client, anna, django_assert_num_queries):
    login(client, anna["user"])
    client.get(URL)  # warm: roles, principals, the unread count
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    small_count = len(small.captured_queries)
    for i in range(12):
        _file(anna["case"], f"papildu-{i}.pdf")
        _delivered(anna["user"].person, f"Papildu lēmums {i}", code=anna["own"].code)
    with django_assert_num_queries(small_count):
        response = client.get(URL)
    assert len(response.context["page"].entries) == 25 and response.context["page"].has_next
