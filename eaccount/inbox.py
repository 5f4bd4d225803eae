"""The e-account's inbox: official messages and delivered documents.

Writers (`message_send`, `message_send_once`, `document_deliver`) are used by apps above; each
message and document names the catalogue service it is about (`service_code`, blank for a general
one). Readers take the Actor and decide who sees what:
- the principal themselves and their legal representatives (a parent of a minor, a board member of
  a company) see everything in the principal's inbox;
- a delegate sees only what concerns the delegated services that may be delegated (catalogue
  `Service.delegable`; a delegation listing no service covers every delegable one), never the
  general messages;
- anyone else sees nothing, and a document outside what the actor sees is "not found", exactly like
  a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files import File
from django.core.paginator import Page
from django.db.models import QuerySet

from catalogue import selectors as catalogue_selectors
from kernel.actors import Actor
from kernel.constants import Basis
from kernel.errors import NotFound
from kernel.paginators import WindowCountPaginator

from .models import Document, Message, Organisation, Person

INBOX_PAGE_SIZE = 20

# the bases on which the actor sees the principal's whole inbox
_WHOLE_INBOX_BASES = frozenset({Basis.SELF, Basis.LEGAL_REPRESENTATION})


class InboxDocumentNotFound(NotFound):
    code = "eaccount.document_not_found"


def _owner(owner) -> dict:
    if isinstance(owner, Person):
        return {"person": owner}
    if isinstance(owner, Organisation):
        return {"organisation": owner}
    raise TypeError("an inbox belongs to a Person or an Organisation")


def _message_fields(
    *, to, sender_label: str, subject: str, body: str, link_url: str, service_code: str
) -> dict:
    return {
        **_owner(to),
        "sender_label": sender_label[:200],
        "subject": subject[:300],
        "body": body,
        "link_url": link_url,
        "service_code": service_code,
    }


def message_send(
    *,
    to,
    sender_label: str,
    subject: str,
    body: str = "",
    link_url: str = "",
    source_key: str = "",
    service_code: str = "",
) -> Message:
    """Put a message in the e-account of `to`; with a `source_key`, sending twice keeps one message.

    `service_code`: the catalogue service the message is about ("" for a general message, which
    only the recipient and their legal representatives see)."""
    fields = _message_fields(
        to=to,
        sender_label=sender_label,
        subject=subject,
        body=body,
        link_url=link_url,
        service_code=service_code,
    )
    if source_key:
        message, _created = Message.objects.get_or_create(source_key=source_key, defaults=fields)
        return message
    return Message.objects.create(**fields)


def message_send_once(
    *,
    to,
    sender_label: str,
    subject: str,
    source_key: str,
    body: str = "",
    link_url: str = "",
    service_code: str = "",
) -> bool:
    """Send the message keyed by `source_key` unless it was sent before; True if this call sent it."""
    fields = _message_fields(
        to=to,
        sender_label=sender_label,
        subject=subject,
        body=body,
        link_url=link_url,
        service_code=service_code,
    )
    _message, created = Message.objects.get_or_create(source_key=source_key, defaults=fields)
    return created


def message_source_keys_existing(*, keys: list[str]) -> set[str]:
    """Which of these source keys have their message already (one query per 1,000 keys)."""
    found: set[str] = set()
    for start in range(0, len(keys), 1000):
        found.update(
            Message.objects.filter(source_key__in=keys[start : start + 1000]).values_list(
                "source_key", flat=True
            )
        )
    return found


def document_deliver(
    *,
    to,
    title: str,
    file: File,
    original_name: str,
    issuer_label: str,
    link_url: str = "",
    source_key: str = "",
    service_code: str = "",
) -> Document:
    """Store a copy of `file` in the e-account of `to` (`service_code`: the service it is about)."""
    document = Document(
        **_owner(to),
        title=title[:300],
        original_name=original_name[:255],
        issuer_label=issuer_label[:200],
        link_url=link_url,
        source_key=source_key,
        service_code=service_code,
    )
    document.file.save(original_name, file, save=False)
    document.save()
    return document


# --- reads: who sees what ----------------------------------------------------------------------


def _visible_to(model, *, actor: Actor) -> QuerySet:
    """The rows of `model` (Message or Document) the actor may see: one query, whatever the scope."""
    principal = actor.principal
    if not isinstance(principal, (Person, Organisation)):
        return model.objects.none()
    rows = model.objects.filter(**_owner(principal))
    if actor.basis in _WHOLE_INBOX_BASES:
        return rows
    if actor.basis != Basis.DELEGATION:  # e.g. a centre specialist filing for a client
        return model.objects.none()
    if actor.scope is not None and not actor.scope:
        return model.objects.none()
    # general messages ("") are never a service code, so a delegate never sees them
    return rows.filter(service_code__in=catalogue_selectors.service_codes_delegable(codes=actor.scope))


def inbox_messages_for_actor(*, actor: Actor) -> QuerySet[Message]:
    """The messages of the actor's principal that the actor may see, newest first."""
    return _visible_to(Message, actor=actor).order_by("-created_at", "-id")


def inbox_documents_for_actor(*, actor: Actor) -> QuerySet[Document]:
    """The documents of the actor's principal that the actor may see, newest first."""
    return _visible_to(Document, actor=actor).order_by("-created_at", "-id")


@dataclass(frozen=True)
class Inbox:
    messages: Page
    documents: Page


def _page(qs: QuerySet, number, per_page: int) -> Page:
    # the total comes with the page's rows (COUNT(*) OVER ()): one query per list, rows in a list
    return WindowCountPaginator(qs, per_page).get_page(number)


def inbox_for_actor(
    *, actor: Actor, messages_page=1, documents_page=1, per_page: int = INBOX_PAGE_SIZE
) -> Inbox:
    """One page of messages and one of documents of the actor's principal, as the actor may see
    them. Page numbers may come straight from the query string (a bad one gives the first page, one
    past the end the last). Two queries, whatever the sizes."""
    return Inbox(
        messages=_page(inbox_messages_for_actor(actor=actor), messages_page, per_page),
        documents=_page(inbox_documents_for_actor(actor=actor), documents_page, per_page),
    )


def document_get_for_actor(*, actor: Actor, pk) -> Document:
    """A document the actor may see; InboxDocumentNotFound for a missing one, someone else's, one
    outside the actor's delegation and a malformed id alike."""
    try:
        return inbox_documents_for_actor(actor=actor).get(pk=int(pk))
    except (Document.DoesNotExist, TypeError, ValueError, OverflowError):
        raise InboxDocumentNotFound() from None
