"""The interaction history (concept 4.4.3.3): one timeline, like a bank statement, of the principal's
cases and their client-visible status changes, consultations, messages, documents, feedback and
invoices,
from every channel (cases filed at a one-stop centre on the client's behalf are marked).

Set-based: one query per kind (six at most), each `.values()` of what an entry shows, limited by a
keyset on (at, kind, id), newest first, so the order is total and stable and a page never shifts when
new entries arrive; plus one query for the services that messages and documents name. The pages
merge the kinds in Python (at most `limit + 1` rows of each). The scopes are the apps' own selectors:
`requests_registry.selectors.status_changes_for_client`/`consultation_list_for_user`/
`feedback_for_client` (as "my cases" and "my consultations") and `eaccount.inbox` (as the inbox,
with a delegate's service scoping).
"""

from __future__ import annotations

import datetime
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalogue import selectors as catalogue_selectors
from eaccount import inbox
from kernel.constants import Basis, Channel
from payments import selectors as payment_selectors
from payments.constants import InvoiceState
from payments.references import rf_format
from requests_registry import selectors as registry_selectors
from requests_registry.constants import CaseStatus, ConsultationOutcome

PAGE_SIZE = 25
EXPORT_BATCH = 500
PDF_LIMIT = 2000


class Kind:
    """The kinds of entry; their codes order entries of the same instant (the keyset's 2nd part)."""

    CONSULTATION = "consultation"
    DOCUMENT = "document"
    FEEDBACK = "feedback"
    INVOICE = "invoice"
    MESSAGE = "message"
    STATUS = "status"


KIND_CHOICES = [
    (Kind.STATUS, gettext_lazy("Cases and status changes")),
    (Kind.CONSULTATION, gettext_lazy("Consultations")),
    (Kind.MESSAGE, gettext_lazy("Messages")),
    (Kind.DOCUMENT, gettext_lazy("Documents")),
    (Kind.FEEDBACK, gettext_lazy("Feedback")),
    (Kind.INVOICE, gettext_lazy("Invoices")),
]
KINDS = frozenset(code for code, _label in KIND_CHOICES)

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_CURSOR_RE = re.compile(r"^(\d{1,16})\.([a-z]{1,20})\.(\d{1,12})$")


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the timeline: the (at, kind, id) of the last entry shown."""

    at: datetime.datetime
    kind: str
    id: int

    def encode(self) -> str:
        micros = (self.at - _EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.kind}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        match = _CURSOR_RE.match(value or "")
        if not match or match[2] not in KINDS:
            return None
        at = _EPOCH + datetime.timedelta(microseconds=int(match[1]))
        return cls(at=at, kind=match[2], id=int(match[3]))


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str
    id: int
    title: str
    detail: str = ""
    service_code: str = ""
    service_title: str = ""
    agency: str = ""
    channel: str = ""
    link: str = ""
    case_number: str = ""
    filed_at_centre: bool = False
    centre: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, kind=self.kind, id=self.id)

    @property
    def kind_label(self) -> str:
        return str(dict(KIND_CHOICES)[self.kind])

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else ""


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    service: str = ""
    agency: str = ""
    channel: str = ""
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    q: str = ""


@dataclass(frozen=True)
class Scope:
    """Whose history, as whom: the user, the principal they act for, and the request's Actor (the
    inbox scopes by the Actor's basis and delegated services)."""

    user: object
    principal: object
    actor: object


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    has_next: bool
    next_cursor: Cursor | None


def _lang(lv: str, en: str) -> str:
    return en if get_language() == "en" and en else (lv or "")


def _keyset(at_field: str, kind: str, after: Cursor | None) -> Q:
    """Entries of `kind` strictly after `after` in the order (at, kind, id) descending."""
    if after is None:
        return Q()
    if kind < after.kind:
        return Q(**{f"{at_field}__lte": after.at})
    if kind > after.kind:
        return Q(**{f"{at_field}__lt": after.at})
    return Q(**{f"{at_field}__lt": after.at}) | Q(**{at_field: after.at, "pk__lt": after.id})


def _period(at_field: str, filters: Filters) -> Q:
    condition = Q()
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
        condition &= Q(**{f"{at_field}__gte": start})
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        condition &= Q(**{f"{at_field}__lt": end})
    return condition


def _about(filters: Filters, *prefixes: str) -> Q:
    """The service, agency and channel filters on the case or consultation at any of `prefixes`."""
    condition = Q()
    for value, lookup in (
        (filters.service, "service__code"),
        (filters.agency, "agency__code"),
        (filters.channel, "channel"),
    ):
        if value:
            either = Q()
            for prefix in prefixes:
                either |= Q(**{f"{prefix}{lookup}": value})
            condition &= either
    return condition


def _title_q(prefix: str, q: str) -> Q:
    return Q(**{f"{prefix}title_lv__icontains": q}) | Q(**{f"{prefix}title_en__icontains": q})


def _first(qs: QuerySet, at_field: str, kind: str, after: Cursor | None, limit: int) -> list[dict]:
    """The first `limit` rows after `after`, newest first, each with its place in the timeline
    (`"place"`: at, kind, id), by which the kinds are merged before any entry is made."""
    rows = list(qs.filter(_keyset(at_field, kind, after)).order_by(f"-{at_field}", "-pk")[:limit])
    for row in rows:
        row["place"] = (row[at_field], kind, row["pk"])
    return rows


# --- one query per kind ------------------------------------------------------------------------


def _status_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = registry_selectors.status_changes_for_client(user=scope.user, principal=scope.principal)
    qs = qs.filter(_period("at", filters), _about(filters, "case__"))
    if filters.q:
        qs = qs.filter(Q(case__number__icontains=filters.q) | _title_q("case__service__", filters.q))
    qs = qs.values(
        "pk",
        "at",
        "from_status",
        "to_status",
        "note",
        "case__number",
        "case__channel",
        "case__basis",
        "case__service__code",
        "case__service__title_lv",
        "case__service__title_en",
        "case__agency__name_lv",
        "case__agency__name_en",
        "case__centre__name_lv",
        "case__centre__name_en",
    )
    return _first(qs, "at", Kind.STATUS, after, limit)


def _status_entry(row: dict, _services) -> Entry:
    number = row["case__number"]
    status = (
        str(CaseStatus(row["to_status"]).label) if row["to_status"] in CaseStatus.values else row["to_status"]
    )
    if not row["from_status"]:
        title = _("Case %(number)s filed") % {"number": number}
    else:
        title = _("Case %(number)s: %(status)s") % {"number": number, "status": status}
    return Entry(
        at=row["at"],
        kind=Kind.STATUS,
        id=row["pk"],
        title=title,
        detail=row["note"][:300],
        service_code=row["case__service__code"],
        service_title=_lang(row["case__service__title_lv"], row["case__service__title_en"]),
        agency=_lang(row["case__agency__name_lv"], row["case__agency__name_en"]),
        channel=row["case__channel"],
        link=reverse("requests_registry:case-detail", kwargs={"number": number}),
        case_number=number,
        filed_at_centre=row["case__channel"] == Channel.VPVKAC
        or row["case__basis"] == Basis.AUTHORISED_FILING,
        centre=_lang(row["case__centre__name_lv"], row["case__centre__name_en"]),
    )


def _consultation_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = registry_selectors.consultation_list_for_user(user=scope.user, principal=scope.principal)
    qs = qs.filter(_period("created_at", filters), _about(filters, ""))
    if filters.q:
        qs = qs.filter(Q(topic__icontains=filters.q) | _title_q("service__", filters.q))
    qs = qs.values(
        "pk",
        "created_at",
        "topic",
        "outcome",
        "channel",
        "service__code",
        "service__title_lv",
        "service__title_en",
        "agency__name_lv",
        "agency__name_en",
        "centre__name_lv",
        "centre__name_en",
    )
    return _first(qs, "created_at", Kind.CONSULTATION, after, limit)


def _consultation_entry(row: dict, _services) -> Entry:
    outcome = row["outcome"]
    return Entry(
        at=row["created_at"],
        kind=Kind.CONSULTATION,
        id=row["pk"],
        title=_("Consultation: %(topic)s") % {"topic": row["topic"]},
        detail=str(ConsultationOutcome(outcome).label) if outcome in ConsultationOutcome.values else "",
        service_code=row["service__code"] or "",
        service_title=_lang(row["service__title_lv"], row["service__title_en"]),
        agency=_lang(row["agency__name_lv"], row["agency__name_en"]),
        channel=row["channel"],
        link=reverse("requests_registry:consultation-detail", kwargs={"pk": row["pk"]}),
        filed_at_centre=row["channel"] == Channel.VPVKAC,
        centre=_lang(row["centre__name_lv"], row["centre__name_en"]),
    )


def _inbox_filter(qs: QuerySet, filters: Filters, text_field: str) -> QuerySet:
    qs = qs.filter(_period("created_at", filters))
    if filters.channel:  # messages and documents come to the e-account, through no intake channel
        return qs.none()
    if filters.service:
        qs = qs.filter(service_code=filters.service)
    if filters.agency:
        qs = qs.filter(service_code__in=catalogue_selectors.service_codes_where(agency_code=filters.agency))
    if filters.q:
        qs = qs.filter(
            Q(**{f"{text_field}__icontains": filters.q})
            | Q(service_code__in=catalogue_selectors.service_codes_where(title_contains=filters.q))
        )
    return qs


def _message_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = _inbox_filter(inbox.inbox_messages_for_actor(actor=scope.actor, folder=None), filters, "subject")
    qs = qs.values(
        "pk",
        "created_at",
        "subject",
        "subject_en",
        "sender_label",
        "sender_agency__name_lv",
        "sender_agency__name_en",
        "service_code",
    )
    return _first(qs, "created_at", Kind.MESSAGE, after, limit)


def _service_fields(code: str, services: dict) -> dict:
    service = services.get(code)
    if service is None:
        return {"service_code": code}
    return {
        "service_code": code,
        "service_title": service.title,
        "agency": _lang(service.agency.name_lv, service.agency.name_en),
    }


def _message_entry(row: dict, services) -> Entry:
    return Entry(
        at=row["created_at"],
        kind=Kind.MESSAGE,
        id=row["pk"],
        title=_lang(row["subject"], row["subject_en"]),
        detail=_("From %(sender)s")
        % {
            "sender": _lang(row["sender_agency__name_lv"], row["sender_agency__name_en"])
            or row["sender_label"]
        },
        link=reverse("eaccount:inbox-message", kwargs={"pk": row["pk"]}),
        **_service_fields(row["service_code"], services),
    )


def _document_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = _inbox_filter(inbox.inbox_documents_for_actor(actor=scope.actor), filters, "title")
    qs = qs.values("pk", "created_at", "title", "issuer_label", "service_code", "original_name")
    return _first(qs, "created_at", Kind.DOCUMENT, after, limit)


def _document_entry(row: dict, services) -> Entry:
    return Entry(
        at=row["created_at"],
        kind=Kind.DOCUMENT,
        id=row["pk"],
        title=row["title"],
        detail=_("Issued by %(issuer)s") % {"issuer": row["issuer_label"]},
        link=reverse("eaccount:inbox-document", kwargs={"pk": row["pk"]}),
        **_service_fields(row["service_code"], services),
    )


def _feedback_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = registry_selectors.feedback_for_client(user=scope.user, principal=scope.principal)
    qs = qs.filter(_period("created_at", filters), _about(filters, "case__", "consultation__"))
    if filters.q:
        qs = qs.filter(
            Q(case__number__icontains=filters.q)
            | _title_q("case__service__", filters.q)
            | Q(consultation__topic__icontains=filters.q)
            | _title_q("consultation__service__", filters.q)
        )
    qs = qs.values(
        "pk",
        "created_at",
        "rating",
        "case__number",
        "case__channel",
        "case__service__code",
        "case__service__title_lv",
        "case__service__title_en",
        "case__agency__name_lv",
        "case__agency__name_en",
        "consultation_id",
        "consultation__topic",
        "consultation__channel",
        "consultation__service__code",
        "consultation__service__title_lv",
        "consultation__service__title_en",
        "consultation__agency__name_lv",
        "consultation__agency__name_en",
    )
    return _first(qs, "created_at", Kind.FEEDBACK, after, limit)


def _feedback_entry(row: dict, _services) -> Entry:
    on_case = row["case__number"] is not None
    prefix = "case__" if on_case else "consultation__"
    if on_case:
        about = _("case %(number)s") % {"number": row["case__number"]}
        link = reverse("requests_registry:case-detail", kwargs={"number": row["case__number"]})
    else:
        about = _("consultation: %(topic)s") % {"topic": row["consultation__topic"] or ""}
        link = reverse("requests_registry:consultation-detail", kwargs={"pk": row["consultation_id"]})
    return Entry(
        at=row["created_at"],
        kind=Kind.FEEDBACK,
        id=row["pk"],
        title=_("Feedback on %(about)s") % {"about": about},
        detail=_("Rating %(rating)s of 5") % {"rating": row["rating"]},
        service_code=row[f"{prefix}service__code"] or "",
        service_title=_lang(row[f"{prefix}service__title_lv"], row[f"{prefix}service__title_en"]),
        agency=_lang(row[f"{prefix}agency__name_lv"], row[f"{prefix}agency__name_en"]),
        channel=row[f"{prefix}channel"] or "",
        link=link,
        case_number=row["case__number"] or "",
    )


def _invoice_rows(scope: Scope, filters: Filters, after: Cursor | None, limit: int) -> list[dict]:
    qs = payment_selectors.invoice_list_for_user(user=scope.user, principal=scope.principal)
    qs = qs.filter(_period("issued_at", filters), _about(filters, "case__"))
    if filters.q:
        qs = qs.filter(
            Q(case__number__icontains=filters.q)
            | Q(reference__icontains=filters.q.replace(" ", ""))
            | _title_q("case__service__", filters.q)
        )
    qs = qs.values(
        "pk",
        "issued_at",
        "reference",
        "amount",
        "paid_amount",
        "state",
        "case__number",
        "case__channel",
        "case__service__code",
        "case__service__title_lv",
        "case__service__title_en",
        "case__agency__name_lv",
        "case__agency__name_en",
    )
    return _first(qs, "issued_at", Kind.INVOICE, after, limit)


def _invoice_entry(row: dict, _services) -> Entry:
    state = str(InvoiceState(row["state"]).label) if row["state"] in InvoiceState.values else row["state"]
    return Entry(
        at=row["issued_at"],
        kind=Kind.INVOICE,
        id=row["pk"],
        title=_("Invoice %(reference)s: %(amount)s EUR")
        % {"reference": rf_format(row["reference"]), "amount": row["amount"]},
        detail=_("%(state)s; paid %(paid)s EUR") % {"state": state, "paid": row["paid_amount"]},
        service_code=row["case__service__code"],
        service_title=_lang(row["case__service__title_lv"], row["case__service__title_en"]),
        agency=_lang(row["case__agency__name_lv"], row["case__agency__name_en"]),
        channel=row["case__channel"],
        link=reverse("payments:invoice-detail", kwargs={"pk": row["pk"]}),
        case_number=row["case__number"],
    )


_SOURCES = {
    Kind.STATUS: (_status_rows, _status_entry),
    Kind.CONSULTATION: (_consultation_rows, _consultation_entry),
    Kind.MESSAGE: (_message_rows, _message_entry),
    Kind.DOCUMENT: (_document_rows, _document_entry),
    Kind.FEEDBACK: (_feedback_rows, _feedback_entry),
    Kind.INVOICE: (_invoice_rows, _invoice_entry),
}


def history_page(
    *, scope: Scope, filters: Filters | None = None, after: Cursor | None = None, limit: int = PAGE_SIZE
) -> Page:
    """The `limit` entries after `after` (from the newest without one), newest first, and whether
    more follow. One query per kind asked for, plus one for the services messages and documents name.
    The kinds' rows are merged first and entries made only of those shown (not of every kind's)."""
    filters = filters or Filters()
    kinds = filters.kinds or KINDS
    streams = [_SOURCES[kind][0](scope, filters, after, limit + 1) for kind in sorted(kinds)]
    merged = list(islice(heapq.merge(*streams, key=itemgetter("place"), reverse=True), limit + 1))
    has_next = len(merged) > limit
    shown = merged[:limit]
    codes = {row["service_code"] for row in shown if row["place"][1] in (Kind.MESSAGE, Kind.DOCUMENT)}
    services = catalogue_selectors.services_by_codes(codes={code for code in codes if code})
    entries = [_SOURCES[row["place"][1]][1](row, services) for row in shown]
    return Page(entries=entries, has_next=has_next, next_cursor=entries[-1].cursor if has_next else None)


def history_iter(
    *, scope: Scope, filters: Filters | None = None, batch: int = EXPORT_BATCH, limit: int | None = None
) -> Iterator[Entry]:
    """Every entry (or the first `limit`), newest first, read in keyset batches: flat memory."""
    after = None
    given = 0
    while True:
        size = batch if limit is None else min(batch, limit - given)
        if size <= 0:
            return
        page = history_page(scope=scope, filters=filters, after=after, limit=size)
        yield from page.entries
        given += len(page.entries)
        if not page.has_next:
            return
        after = page.next_cursor
