"""The inbox under a delegation: a delegate sees only the delegated services' messages and documents.

The principal and their legal representatives see the whole inbox; a delegate sees what concerns
the delegated (and delegable) services only, never the general messages; a document outside what
the actor sees is "not found", like a missing one. Delegations are given and chosen through the
delegation app's pages (by URL name: the e-account sits below the delegation app).
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.tests.factories import ServiceFactory
from eaccount.inbox import (
    InboxDocumentNotFound,
    document_deliver,
    document_get_for_actor,
    documents_page_for_actor,
    inbox_documents_for_actor,
    inbox_messages_for_actor,
    inbox_page_for_actor,
    message_send,
    message_send_once,
)
from eaccount.models import Document, Message
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    UserFactory,
)
from kernel.actors import Actor
from kernel.constants import AssuranceLevel, Basis

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def login(client, user, level: str = AssuranceLevel.HIGH):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = level
    session.save()


def deliver(owner, *, code: str = "", title: str = "Lēmums", number: str = "0000001") -> Document:
    return document_deliver(
        to=owner,
        title=title,
        file=ContentFile(PDF),
        original_name=f"{title}.pdf",
        issuer_label="VSAA",
        link_url=f"/cases/{code}-{number}/" if code else "",
        service_code=code,
    )


def send(owner, *, code: str = "", subject: str = "Paziņojums") -> Message:
    return message_send(
        to=owner,
        sender_label="VSAA",
        subject=subject,
        link_url=f"/cases/{code}-0000001/" if code else "",
        service_code=code,
    )


@pytest.fixture
def principal():
    return UserFactory()


@pytest.fixture
def delegate():
    return UserFactory()


@pytest.fixture
def services():
    return {
        "delegated": ServiceFactory(),
        "other": ServiceFactory(),
        "not_delegable": ServiceFactory(delegable=False),
    }


@pytest.fixture
def inbox(principal, services):
    """The principal's inbox: one message and one document of each service, and general ones."""
    person = principal.person
    return {
        "messages": {
            "delegated": send(person, code=services["delegated"].code, subject="Par deleģēto"),
            "other": send(person, code=services["other"].code, subject="Par citu"),
            "not_delegable": send(person, code=services["not_delegable"].code, subject="Nedeleģējams"),
            "general": send(person, subject="Vispārīgs"),
        },
        "documents": {
            "delegated": deliver(person, code=services["delegated"].code, title="Deleģētā rezultāts"),
            "other": deliver(person, code=services["other"].code, title="Cita rezultāts"),
            "not_delegable": deliver(person, code=services["not_delegable"].code, title="Nedeleģējamā"),
            "general": deliver(person, title="Vispārīgs dokuments"),
        },
    }


def as_delegate(delegate, principal, scope) -> Actor:
    return Actor(user=delegate, principal=principal.person, basis=Basis.DELEGATION, scope=scope)


# --- writers -------------------------------------------------------------------------------------


def test_writers_keep_the_service_the_message_or_document_is_about(principal):
    person = principal.person

    message = message_send(to=person, sender_label="VSAA", subject="S", service_code="1011")
    sent = message_send_once(
        to=person, sender_label="VSAA", subject="S", source_key="k-1", service_code="1012"
    )
    again = message_send_once(
        to=person, sender_label="VSAA", subject="S", source_key="k-1", service_code="1012"
    )
    document = deliver(person, code="1013")
    general = message_send(to=person, sender_label="VSAA", subject="Vispārīgs")

    assert sent and not again
    assert Message.objects.get(pk=message.pk).service_code == "1011"
    assert Message.objects.get(source_key="k-1").service_code == "1012"
    assert Document.objects.get(pk=document.pk).service_code == "1013"
    assert general.service_code == ""


# --- selectors -----------------------------------------------------------------------------------


def test_delegate_of_one_service_sees_only_that_services_messages_and_documents(
    principal, delegate, services, inbox
):
    actor = as_delegate(delegate, principal, frozenset({services["delegated"].code}))

    messages = list(inbox_messages_for_actor(actor=actor))
    documents = list(inbox_documents_for_actor(actor=actor))

    assert messages == [inbox["messages"]["delegated"]]
    assert documents == [inbox["documents"]["delegated"]]


def test_delegation_of_every_service_covers_only_delegable_ones_and_no_general_ones(
    principal, delegate, inbox
):
    actor = as_delegate(delegate, principal, None)

    messages = set(inbox_messages_for_actor(actor=actor))
    documents = set(inbox_documents_for_actor(actor=actor))

    assert messages == {inbox["messages"]["delegated"], inbox["messages"]["other"]}
    assert documents == {inbox["documents"]["delegated"], inbox["documents"]["other"]}


def test_delegated_service_that_stopped_being_delegable_is_no_longer_shown(
    principal, delegate, services, inbox
):
    services["delegated"].delegable = False
    services["delegated"].save(update_fields=["delegable"])
    actor = as_delegate(delegate, principal, frozenset({services["delegated"].code}))

    assert list(inbox_messages_for_actor(actor=actor)) == []
    assert list(inbox_documents_for_actor(actor=actor)) == []


@pytest.mark.parametrize("basis", [Basis.SELF, Basis.LEGAL_REPRESENTATION])
def test_principal_and_legal_representative_see_the_whole_inbox(principal, delegate, inbox, basis):
    user = principal if basis == Basis.SELF else delegate
    actor = Actor(user=user, principal=principal.person, basis=basis)

    messages = set(inbox_messages_for_actor(actor=actor))
    documents = set(inbox_documents_for_actor(actor=actor))

    assert messages == set(inbox["messages"].values())
    assert documents == set(inbox["documents"].values())


@pytest.mark.parametrize(
    "actor_kind", ["authorised_filing", "no_principal", "empty_scope", "other_principal"]
)
def test_other_actors_see_nothing(principal, delegate, inbox, actor_kind):
    actor = {
        "authorised_filing": Actor(user=delegate, principal=principal.person, basis=Basis.AUTHORISED_FILING),
        "no_principal": Actor(user=delegate),
        "empty_scope": as_delegate(delegate, principal, frozenset()),
        "other_principal": Actor(user=delegate, principal=delegate.person, basis=Basis.SELF),
    }[actor_kind]

    assert list(inbox_messages_for_actor(actor=actor)) == []
    assert list(inbox_documents_for_actor(actor=actor)) == []
    with pytest.raises(InboxDocumentNotFound):
        document_get_for_actor(actor=actor, pk=inbox["documents"]["delegated"].pk)


def test_organisation_inbox_is_scoped_like_a_persons(delegate, services):
    company = OrganisationFactory()
    mine = send(company, code=services["delegated"].code)
    other = send(company, code=services["other"].code)
    general = send(company)
    board_member = BoardMembershipFactory(organisation=company).person
    delegated = Actor(
        user=delegate,
        principal=company,
        basis=Basis.DELEGATION,
        scope=frozenset({services["delegated"].code}),
    )
    representative = Actor(principal=company, basis=Basis.LEGAL_REPRESENTATION, user=board_member)

    assert list(inbox_messages_for_actor(actor=delegated)) == [mine]
    assert set(inbox_messages_for_actor(actor=representative)) == {mine, other, general}


@pytest.mark.parametrize("which", ["other", "not_delegable", "general"])
def test_delegate_cannot_get_a_document_outside_the_delegation(principal, delegate, services, inbox, which):
    actor = as_delegate(delegate, principal, frozenset({services["delegated"].code}))

    with pytest.raises(InboxDocumentNotFound):
        document_get_for_actor(actor=actor, pk=inbox["documents"][which].pk)
    allowed = inbox["documents"]["delegated"]
    assert document_get_for_actor(actor=actor, pk=allowed.pk) == allowed


@pytest.mark.parametrize("pk", ["999999", "abc", None, "99999999999999999999999"])
def test_missing_and_malformed_documents_are_not_found_alike(principal, inbox, pk):
    actor = Actor(user=principal, principal=principal.person, basis=Basis.SELF)

    with pytest.raises(InboxDocumentNotFound):
        document_get_for_actor(actor=actor, pk=pk)


def test_inbox_pages_newest_first_in_a_stable_order(principal):
    person = principal.person
    sent = [send(person, code="1011", subject=f"S{i}") for i in range(5)]
    Message.objects.update(created_at=Message.objects.first().created_at)  # a tie: the id decides
    actor = Actor(user=principal, principal=person, basis=Basis.SELF)

    first = inbox_page_for_actor(actor=actor, per_page=2)
    third = inbox_page_for_actor(actor=actor, page="3", per_page=2)
    bad = inbox_page_for_actor(actor=actor, page="x", per_page=2)

    assert list(first) == [sent[4], sent[3]] and first.paginator.count == 5
    assert list(third) == [sent[0]]
    assert bad.number == 1


@pytest.mark.parametrize("size", [3, 25])
@pytest.mark.parametrize("delegated", [False, True])
def test_inbox_selector_runs_two_queries_whatever_the_size(
    principal, delegate, services, django_assert_num_queries, size, delegated
):
    code = services["delegated"].code
    for i in range(size):
        send(principal.person, code=code if i % 2 else services["other"].code)
        deliver(principal.person, code=code if i % 2 else "", number=f"{i:07d}")
    actor = (
        as_delegate(delegate, principal, frozenset({code}))
        if delegated
        else Actor(user=principal, principal=principal.person, basis=Basis.SELF)
    )

    with django_assert_num_queries(2):
        messages = inbox_page_for_actor(actor=actor)
        documents = documents_page_for_actor(actor=actor)
        list(messages), list(documents), messages.paginator.num_pages

    assert messages.paginator.count == (size // 2 if delegated else size)


# --- pages: the delegation is given and chosen through the delegation app's pages ---------------


def give_delegation(client, *, principal, delegate, services) -> None:
    login(client, principal)
    response = client.post(
        reverse("delegation:delegations"),
        {
            "personal_code": delegate.person.personal_code,
            "first_name": delegate.person.first_name,
            "last_name": delegate.person.last_name,
            "services": [s.code for s in services],
        },
    )
    assert response.status_code == 302, response.content.decode()


def act_for(client, user, principal_person) -> None:
    login(client, user)
    response = client.post(reverse("delegation:act-for"), {"principal": f"person:{principal_person.pk}"})
    assert response.status_code == 302


@pytest.fixture
def delegate_client(client, principal, delegate, services, inbox):
    give_delegation(client, principal=principal, delegate=delegate, services=[services["delegated"]])
    act_for(client, delegate, principal.person)
    return client


def test_delegate_acting_for_the_principal_lists_only_the_delegated_service(
    delegate_client, principal, inbox
):
    page = delegate_client.get(reverse("eaccount:inbox"))

    assert page.status_code == 200
    documents = delegate_client.get(reverse("documents"))
    assert list(page.context["inbox_messages"]) == [inbox["messages"]["delegated"]]
    assert [e.id for e in documents.context["page"].entries] == [inbox["documents"]["delegated"].pk]
    html = page.content.decode() + documents.content.decode()
    assert principal.person.full_name in html
    assert "Par deleģēto" in html and "Deleģētā rezultāts" in html
    for hidden in ("Par citu", "Vispārīgs", "Cita rezultāts", "Nedeleģējam"):
        assert hidden not in html


@pytest.mark.parametrize("which", ["other", "not_delegable", "general"])
def test_delegate_gets_404_downloading_a_document_outside_the_delegation(delegate_client, inbox, which):
    url = reverse("eaccount:inbox-document", kwargs={"pk": inbox["documents"][which].pk})

    response = delegate_client.get(url)

    assert response.status_code == 404


def test_delegate_downloads_the_delegated_services_document(delegate_client, inbox):
    url = reverse("eaccount:inbox-document", kwargs={"pk": inbox["documents"]["delegated"].pk})

    response = delegate_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_principal_sees_and_downloads_everything(client, principal, inbox):
    login(client, principal)

    page = client.get(reverse("eaccount:inbox"))
    download = client.get(reverse("eaccount:inbox-document", kwargs={"pk": inbox["documents"]["general"].pk}))

    documents = client.get(reverse("documents"))
    assert set(page.context["inbox_messages"]) == set(inbox["messages"].values())
    assert {e.id for e in documents.context["page"].entries} == {d.pk for d in inbox["documents"].values()}
    assert download.status_code == 200


def test_parent_acting_for_a_child_sees_and_downloads_everything(client, services):
    parent = UserFactory()
    child = ParentChildFactory(parent=parent.person).child
    message, general = send(child, code=services["other"].code), send(child)
    document = deliver(child)
    act_for(client, parent, child)

    page = client.get(reverse("eaccount:inbox"))
    download = client.get(reverse("eaccount:inbox-document", kwargs={"pk": document.pk}))

    documents = client.get(reverse("documents"))
    assert set(page.context["inbox_messages"]) == {message, general}
    assert [e.id for e in documents.context["page"].entries] == [document.pk]
    assert child.full_name in page.content.decode()
    assert download.status_code == 200


def test_someone_elses_document_is_not_found(client, inbox):
    login(client, UserFactory())

    response = client.get(reverse("eaccount:inbox-document", kwargs={"pk": inbox["documents"]["general"].pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("level", [None, AssuranceLevel.LOW])
def test_inbox_pages_need_a_substantial_login(client, principal, inbox, level):
    if level:
        login(client, principal, level=level)
    urls = [
        reverse("eaccount:inbox"),
        reverse("eaccount:inbox-document", kwargs={"pk": inbox["documents"]["general"].pk}),
    ]

    responses = [client.get(url) for url in urls]

    assert all(r.status_code == 302 and r.url.startswith(reverse("eaccount:login")) for r in responses)


def _inbox_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("eaccount:inbox")).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_inbox_page_runs_a_fixed_number_of_queries(
    delegate_client, principal, services, django_assert_num_queries
):
    delegate_client.get(reverse("eaccount:inbox"))  # the frame's caches (roles, principals) warm
    small = _inbox_queries(delegate_client)
    code = services["delegated"].code
    for i in range(30):
        send(principal.person, code=code)
        deliver(principal.person, code=code, number=f"{i + 10:07d}")
        send(principal.person, code=services["other"].code)
    # new messages make the header's unread count stale: one COUNT on the next page, then cached
    delegate_client.get(reverse("eaccount:inbox"))

    with django_assert_num_queries(len(small)):
        page = delegate_client.get(reverse("eaccount:inbox"))

    assert page.context["inbox_messages"].paginator.count == 31
    # the rest is the frame (session, user, whom the user may act for, the menu): one query, the list
    inbox_tables = ('"eaccount_message"', '"eaccount_document"')
    assert (
        len([sql for sql in small if sql.startswith("SELECT") and any(t in sql for t in inbox_tables)]) == 1
    )


# --- the data migration: service codes of existing rows from their case links ------------------


def test_migration_fills_service_codes_from_case_links(principal):
    migration = importlib.import_module("eaccount.migrations.0003_inbox_service_scope")
    person = principal.person
    rows = {
        link: Message.objects.create(person=person, sender_label="VSAA", subject="S", link_url=link)
        for link in [
            "/cases/1011-0000001/",
            "/cases/123456-0000042/files/3/",
            "https://latvija.gov.lv/cases/2022-0000007/",
            "/cases/agency/1011-0000001/",
            "/cases/consultations/3/",
            "/cases/1011-000001/",
            "",
        ]
    }
    document = Document.objects.create(
        person=person,
        title="T",
        file="eaccount/documents/x.pdf",
        original_name="x.pdf",
        issuer_label="VSAA",
        link_url="/cases/3033-0000009/",
    )

    migration.fill_service_codes(django_apps, None)

    codes = {link: Message.objects.get(pk=m.pk).service_code for link, m in rows.items()}
    assert codes == {
        "/cases/1011-0000001/": "1011",
        "/cases/123456-0000042/files/3/": "123456",
        "https://latvija.gov.lv/cases/2022-0000007/": "2022",
        "/cases/agency/1011-0000001/": "",
        "/cases/consultations/3/": "",
        "/cases/1011-000001/": "",
        "": "",
    }
    assert Document.objects.get(pk=document.pk).service_code == "3033"
