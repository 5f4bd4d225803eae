"""The e-account's documents (concept 4.4.3.2), in one list, newest first: documents delivered to the
e-account (results of cases, attachments of messages: `eaccount.inbox`), the files the client side
uploaded with an application or an answer, and paper documents a one-stop centre scanned into a case
(`requests_registry.selectors.case_files_for_client`). Each source is scoped by its own app exactly
as its pages are (a delegate sees the delegated services' only), so a download link here is one the
download view will serve.

Set-based: one query per source, limited by a keyset on (at, source, id), merged in Python; plus one
query for the services' titles. A page never shifts when new documents arrive.
"""

from __future__ import annotations

import datetime
import heapq
import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from catalogue import selectors as catalogue_selectors
from eaccount import inbox
from requests_registry import selectors as registry_selectors
from requests_registry.constants import CaseFileKind

PAGE_SIZE = 25


class Kind:
    DELIVERED = "delivered"  # results and message attachments, in the e-account
    UPLOADED = "uploaded"  # with an application or an answer
    SCANNED = "scanned"  # paper documents a one-stop centre scanned into a case


KIND_CHOICES = [
    (Kind.DELIVERED, gettext_lazy("Delivered by an institution")),
    (Kind.UPLOADED, gettext_lazy("Submitted with an application or answer")),
    (Kind.SCANNED, gettext_lazy("Paper documents scanned at a one-stop centre")),
]
KINDS = frozenset(code for code, _label in KIND_CHOICES)

# the source of a row: the e-account's documents ("d") or the cases' files ("f")
_SOURCES = ("d", "f")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_CURSOR_RE = re.compile(r"^(\d{1,16})\.([df])\.(\d{1,12})$")


@dataclass(frozen=True, order=True)
class Cursor:
    at: datetime.datetime
    source: str
    id: int

    def encode(self) -> str:
        micros = (self.at - _EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.source}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        match = _CURSOR_RE.match(value or "")
        if not match:
            return None
        return cls(
            at=_EPOCH + datetime.timedelta(microseconds=int(match[1])), source=match[2], id=int(match[3])
        )


@dataclass(frozen=True)
class DocumentEntry:
    at: datetime.datetime
    source: str
    id: int
    kind: str
    title: str
    file_name: str
    issuer: str
    service_code: str
    service_title: str
    case_number: str  # "" where the document names no case
    case_url: str
    download_url: str

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, source=self.source, id=self.id)

    @property
    def kind_label(self) -> str:
        return str(dict(KIND_CHOICES)[self.kind])


@dataclass(frozen=True)
class Filters:
    kind: str = ""  # "" = every kind
    service: str = ""


@dataclass(frozen=True)
class Page:
    entries: list[DocumentEntry]
    has_next: bool
    next_cursor: Cursor | None


def _keyset(source: str, after: Cursor | None) -> Q:
    """Rows of `source` strictly after `after` in the order (at, source, id) descending."""
    if after is None:
        return Q()
    if source < after.source:
        return Q(created_at__lte=after.at)
    if source > after.source:
        return Q(created_at__lt=after.at)
    return Q(created_at__lt=after.at) | Q(created_at=after.at, pk__lt=after.id)


def _delivered_rows(actor, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    if filters.kind not in ("", Kind.DELIVERED):
        return []
    qs = inbox.inbox_documents_for_actor(actor=actor).filter(_keyset("d", after))
    if filters.service:
        qs = qs.filter(service_code=filters.service)
    qs = qs.values("pk", "created_at", "title", "original_name", "issuer_label", "service_code", "link_url")
    return list(qs.order_by("-created_at", "-pk")[:limit])


_FILE_KINDS = {
    Kind.UPLOADED: (CaseFileKind.APPLICATION, CaseFileKind.CLIENT_ANSWER),
    Kind.SCANNED: (CaseFileKind.SCANNED,),
}


def _file_rows(user, principal, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    if filters.kind == Kind.DELIVERED:
        return []
    qs = registry_selectors.case_files_for_client(user=user, principal=principal).filter(_keyset("f", after))
    if filters.kind:
        qs = qs.filter(kind__in=_FILE_KINDS[filters.kind])
    if filters.service:
        qs = qs.filter(case__service__code=filters.service)
    qs = qs.values("pk", "created_at", "kind", "original_name", "case__number", "case__service__code")
    return list(qs.order_by("-created_at", "-pk")[:limit])


def _delivered_entry(row: dict, services: dict) -> DocumentEntry:
    service = services.get(row["service_code"])
    link = row["link_url"] or ""
    return DocumentEntry(
        at=row["created_at"],
        source="d",
        id=row["pk"],
        kind=Kind.DELIVERED,
        title=row["title"],
        file_name=row["original_name"],
        issuer=row["issuer_label"],
        service_code=row["service_code"],
        service_title=service.title if service else "",
        case_number="",
        case_url=link if link.startswith("/") and not link.startswith("//") else "",
        download_url=reverse("eaccount:inbox-document", kwargs={"pk": row["pk"]}),
    )


def _file_entry(row: dict, services: dict) -> DocumentEntry:
    service = services.get(row["case__service__code"])
    kind = Kind.SCANNED if row["kind"] == CaseFileKind.SCANNED else Kind.UPLOADED
    return DocumentEntry(
        at=row["created_at"],
        source="f",
        id=row["pk"],
        kind=kind,
        title=row["original_name"],
        file_name=row["original_name"],
        issuer="",
        service_code=row["case__service__code"],
        service_title=service.title if service else "",
        case_number=row["case__number"],
        case_url=reverse("requests_registry:case-detail", kwargs={"number": row["case__number"]}),
        download_url=reverse(
            "requests_registry:case-file", kwargs={"number": row["case__number"], "attachment_id": row["pk"]}
        ),
    )


def documents_page(*, user, principal, actor, filters: Filters, after: Cursor | None = None) -> Page:
    """One page of the principal's documents as the actor may see them: three queries at most."""
    limit = PAGE_SIZE + 1
    delivered = _delivered_rows(actor, filters, after, limit)
    files = _file_rows(user, principal, filters, after, limit)
    codes = {row["service_code"] for row in delivered} | {row["case__service__code"] for row in files}
    services = catalogue_selectors.services_by_codes(codes=codes - {""})
    entries = heapq.merge(
        (_delivered_entry(row, services) for row in delivered),
        (_file_entry(row, services) for row in files),
        key=lambda entry: (entry.at, entry.source, entry.id),
        reverse=True,
    )
    chosen = list(entries)[:limit]
    has_next = len(chosen) > PAGE_SIZE
    chosen = chosen[:PAGE_SIZE]
    return Page(entries=chosen, has_next=has_next, next_cursor=chosen[-1].cursor if has_next else None)


def service_choices(*, user, principal) -> list[tuple[str, str]]:
    """(code, title) of the services the principal's cases are for, for the filter (one query)."""
    services = registry_selectors.case_services_for_user(user=user, principal=principal)
    return [(service.code, service.title) for service in services]
