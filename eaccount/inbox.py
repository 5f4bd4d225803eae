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

import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files import File
from django.core.paginator import Page
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

import audit.services as audit
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


class InboxMessageNotFound(NotFound):
    code = "eaccount.message_not_found"


class Folder:
    INBOX = "inbox"
    ARCHIVE = "archive"


# --- the header's unread count: cached per principal and scope, forgotten when it may change -----


def _owner_key(owner) -> str:
    if isinstance(owner, Message):
        return f"o{owner.organisation_id}" if owner.organisation_id else f"p{owner.person_id}"
    return f"o{owner.pk}" if isinstance(owner, Organisation) else f"p{owner.pk}"


def _unread_changed(owner) -> None:
    """A message of `owner` (a party, or the message itself) arrived or changed its read/archive
    state: every cached count of that inbox is stale (a new version makes their keys unused)."""
    cache.set(f"inbox-unread-v:{_owner_key(owner)}", uuid.uuid4().hex, 24 * 3600)


def _owner(owner) -> dict:
    if isinstance(owner, Person):
        return {"person": owner}
    if isinstance(owner, Organisation):
        return {"organisation": owner}
    raise TypeError("an inbox belongs to a Person or an Organisation")


def _message_fields(
    *,
    to,
    sender_label: str,
    subject: str,
    body: str = "",
    link_url: str = "",
    service_code: str = "",
    sender_agency=None,
    subject_en: str = "",
    body_en: str = "",
    case_number: str = "",
) -> dict:
    if sender_agency is None and service_code:
        # the agency that holds the service sends what is about it: the sender shown is never free text
        service = catalogue_selectors.services_by_codes(codes=[service_code]).get(service_code)
        sender_agency = service.agency if service is not None else None
    return {
        **_owner(to),
        "sender_agency": sender_agency,
        "sender_label": str(sender_label)[:200],
        "subject": str(subject)[:300],
        "body": str(body),
        "subject_en": str(subject_en)[:300],
        "body_en": str(body_en),
        "link_url": link_url,
        "service_code": service_code,
        "case_number": case_number,
    }


def message_send(*, to, sender_label: str, subject: str, source_key: str = "", **optional) -> Message:
    """Put a message in the e-account of `to`; with a `source_key`, sending twice keeps one message.

    Optional: `body`, `link_url`; `service_code`, the catalogue service it is about ("" for a
    general message, which only the recipient and their legal representatives see; with a code the
    service's agency is the sender unless `sender_agency` is given); `subject_en`/`body_en`, the
    English text shown on English pages; `case_number`, the case whose thread it belongs to."""
    fields = _message_fields(to=to, sender_label=sender_label, subject=subject, **optional)
    if source_key:
        message, created = Message.objects.get_or_create(source_key=source_key, defaults=fields)
    else:
        message, created = Message.objects.create(**fields), True
    if created:
        _unread_changed(message)
    return message


def message_send_once(*, to, sender_label: str, subject: str, source_key: str, **optional) -> bool:
    """Send the message keyed by `source_key` unless it was sent before; True if this call sent it."""
    fields = _message_fields(to=to, sender_label=sender_label, subject=subject, **optional)
    message, created = Message.objects.get_or_create(source_key=source_key, defaults=fields)
    if created:
        _unread_changed(message)
    return created


def message_by_source_key(*, source_key: str) -> Message | None:
    """The message sent under this key (e.g. a notice's e-account copy), to attach a document to."""
    return Message.objects.filter(source_key=source_key).first() if source_key else None


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
    message: Message | None = None,
) -> Document:
    """Store a copy of `file` in the e-account of `to` (`service_code`: the service it is about;
    `message`: the message it comes with, shown as its attachment)."""
    document = Document(
        **_owner(to),
        message=message,
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


def inbox_messages_for_actor(
    *, actor: Actor, folder: str | None = Folder.INBOX, unread_only: bool = False
) -> QuerySet[Message]:
    """The messages of the actor's principal that the actor may see, newest first: those not
    archived (`Folder.INBOX`), the archived ones (`Folder.ARCHIVE`) or all (`None`)."""
    qs = _visible_to(Message, actor=actor).select_related("sender_agency")
    if folder == Folder.INBOX:
        qs = qs.filter(archived_at__isnull=True)
    elif folder == Folder.ARCHIVE:
        qs = qs.filter(archived_at__isnull=False)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def inbox_unread_count(*, actor: Actor) -> int:
    """How many messages in the inbox (not archived) the actor has not read: one COUNT, cached until
    a message of the principal arrives or changes (two cache reads once warm)."""
    principal = actor.principal
    if not isinstance(principal, (Person, Organisation)):
        return 0
    version = cache.get(f"inbox-unread-v:{_owner_key(principal)}") or "0"
    scope = "*" if actor.scope is None else ",".join(sorted(actor.scope))
    digest = hashlib.sha256(f"{actor.basis}|{scope}".encode()).hexdigest()[:16]
    key = f"inbox-unread:{_owner_key(principal)}:{version}:{digest}"
    count = cache.get(key)
    if count is None:
        count = inbox_messages_for_actor(actor=actor, unread_only=True).count()
        cache.set(key, count, 3600)
    return count


def inbox_documents_for_actor(*, actor: Actor) -> QuerySet[Document]:
    """The documents of the actor's principal that the actor may see, newest first."""
    return _visible_to(Document, actor=actor).order_by("-created_at", "-id")


def _page(qs: QuerySet, number, per_page: int) -> Page:
    # the total comes with the page's rows (COUNT(*) OVER ()): one query per list, rows in a list
    return WindowCountPaginator(qs, per_page).get_page(number)


def inbox_page_for_actor(
    *,
    actor: Actor,
    folder: str = Folder.INBOX,
    unread_only: bool = False,
    page=1,
    per_page: int = INBOX_PAGE_SIZE,
) -> Page:
    """One page of the actor's messages in `folder` (the number may come straight from the query
    string: a bad one gives the first page, one past the end the last). One query."""
    messages = inbox_messages_for_actor(actor=actor, folder=folder, unread_only=unread_only)
    return _page(messages.prefetch_related(None), page, per_page)


@dataclass(frozen=True)
class MessageView:
    message: Message
    attachments: list[Document]
    thread: list[Message]  # the other messages of the same case the actor may see, oldest first


def message_get_for_actor(*, actor: Actor, pk) -> MessageView:
    """A message the actor may see, its attachments and its case's thread (three queries);
    InboxMessageNotFound for a missing one, someone else's, one outside a delegation and a malformed
    id alike."""
    try:
        message = (
            inbox_messages_for_actor(actor=actor, folder=None)
            .prefetch_related(
                Prefetch("attachments", queryset=inbox_documents_for_actor(actor=actor).order_by("id"))
            )
            .get(pk=int(pk))
        )
    except (Message.DoesNotExist, TypeError, ValueError, OverflowError):
        raise InboxMessageNotFound() from None
    thread = []
    if message.case_number:
        thread = list(
            inbox_messages_for_actor(actor=actor, folder=None)
            .filter(case_number=message.case_number)
            .exclude(pk=message.pk)
            .order_by("created_at", "id")[:50]
        )
    return MessageView(message=message, attachments=list(message.attachments.all()), thread=thread)


def _message_update(*, actor: Actor, pk, **changes) -> None:
    """Set `changes` on a message the actor may see; InboxMessageNotFound for any other."""
    try:
        pk = int(pk)
    except (TypeError, ValueError, OverflowError):
        raise InboxMessageNotFound() from None
    visible = _visible_to(Message, actor=actor).filter(pk=pk)
    if not visible.update(**changes):
        raise InboxMessageNotFound()
    _unread_changed(actor.principal)


def message_mark_read(*, actor: Actor, message: Message) -> None:
    """The message was opened by someone who may see it: read from now on (the first time counts)."""
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
        _unread_changed(message)


def message_mark_unread(*, actor: Actor, pk) -> None:
    _message_update(actor=actor, pk=pk, read_at=None)


def message_archive(*, actor: Actor, pk) -> None:
    """Out of the inbox into the archive (an archived message no longer counts as unread)."""
    _message_update(actor=actor, pk=pk, archived_at=timezone.now())


def message_unarchive(*, actor: Actor, pk) -> None:
    _message_update(actor=actor, pk=pk, archived_at=None)


def documents_page_for_actor(*, actor: Actor, page=1, per_page: int = INBOX_PAGE_SIZE) -> Page:
    """One page of the actor's documents (one query)."""
    return _page(inbox_documents_for_actor(actor=actor), page, per_page)


def document_get_for_actor(*, actor: Actor, pk) -> Document:
    """A document the actor may see; InboxDocumentNotFound for a missing one, someone else's, one
    outside the actor's delegation and a malformed id alike."""
    try:
        return inbox_documents_for_actor(actor=actor).get(pk=int(pk))
    except (Document.DoesNotExist, TypeError, ValueError, OverflowError):
        raise InboxDocumentNotFound() from None


def document_opened(*, actor: Actor, document: Document) -> None:
    """A document was downloaded by someone who may see it: the message it came with is read."""
    if document.message_id:
        updated = Message.objects.filter(pk=document.message_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            _unread_changed(actor.principal)


def access_refused_record(*, actor: Actor, kind: str, pk) -> bool:
    """Someone asked for a message or document that is not theirs to see: if it exists, the attempt
    is audited (a missing one leaves no trace). True if recorded."""
    model = Message if kind == "message" else Document
    try:
        pk = int(pk)
    except (TypeError, ValueError, OverflowError):
        return False
    if not model.objects.filter(pk=pk).exists():
        return False
    audit.record(
        action=f"eaccount.{kind}_access_refused",
        actor=actor,
        acting_for=actor.principal,
        object_type=f"eaccount.{kind}",
        object_id=pk,
    )
    return True
