"""Public functions for the e-account's inbox (messages and documents), used by apps above."""

from __future__ import annotations

from django.core.files import File

from .models import Document, Message, Organisation, Person


def _owner(owner) -> dict:
    if isinstance(owner, Person):
        return {"person": owner}
    if isinstance(owner, Organisation):
        return {"organisation": owner}
    raise TypeError("an inbox belongs to a Person or an Organisation")


def message_send(
    *, to, sender_label: str, subject: str, body: str = "", link_url: str = "", source_key: str = ""
) -> Message:
    """Put a message in the e-account of `to`; with a `source_key`, sending twice keeps one message."""
    if source_key:
        message, _created = Message.objects.get_or_create(
            source_key=source_key,
            defaults={
                **_owner(to),
                "sender_label": sender_label[:200],
                "subject": subject[:300],
                "body": body,
                "link_url": link_url,
            },
        )
        return message
    return Message.objects.create(
        **_owner(to), sender_label=sender_label[:200], subject=subject[:300], body=body, link_url=link_url
    )


def message_send_once(
    *, to, sender_label: str, subject: str, source_key: str, body: str = "", link_url: str = ""
) -> bool:
    """Send the message keyed by `source_key` unless it was sent before; True if this call sent it."""
    _message, created = Message.objects.get_or_create(
        source_key=source_key,
        defaults={
            **_owner(to),
            "sender_label": sender_label[:200],
            "subject": subject[:300],
            "body": body,
            "link_url": link_url,
        },
    )
    return created


def document_deliver(
    *,
    to,
    title: str,
    file: File,
    original_name: str,
    issuer_label: str,
    link_url: str = "",
    source_key: str = "",
) -> Document:
    """Store a copy of `file` in the e-account of `to`."""
    document = Document(
        **_owner(to),
        title=title[:300],
        original_name=original_name[:255],
        issuer_label=issuer_label[:200],
        link_url=link_url,
        source_key=source_key,
    )
    document.file.save(original_name, file, save=False)
    document.save()
    return document


def document_get_for(*, owner, pk) -> Document | None:
    """A document of `owner`'s e-account, or None (missing and someone else's alike)."""
    try:
        return Document.objects.filter(**_owner(owner)).get(pk=int(pk))
    except (Document.DoesNotExist, TypeError, ValueError):
        return None


def inbox_for(*, owner, limit: int = 20) -> dict:
    owner_filter = _owner(owner)
    return {
        "messages": list(Message.objects.filter(**owner_filter)[:limit]),
        "documents": list(Document.objects.filter(**owner_filter)[:limit]),
    }
