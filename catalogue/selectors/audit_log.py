"""The agency's own audit log (concept 4.4.1.6): the audit events about an agency's services, cases
and staff (`AuditEvent.agency_id`, filled by `audit.services.record` from the event's target), for
the agency's admins — a platform admin picks the agency. Nothing of other agencies.

Paged by a keyset on (at, id), newest first: one query a page on the (agency_id, at) index, however
long the log, and a page never shifts when new events arrive. The CSV export reads the same query
in keyset batches (flat memory).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models.fields.json import KT
from django.utils import timezone

from audit import selectors as audit_selectors
from audit.actions import action_label, object_type_label

from ..models import Agency
from ..viewer import editor_facts

__all__ = [
    "EXPORT_BATCH",
    "PAGE_SIZE",
    "AuditLogCursor",
    "AuditLogFilters",
    "AuditLogPage",
    "AuditLogRow",
    "audit_log_agencies",
    "audit_log_agency_ids",
    "audit_log_allowed",
    "audit_log_iter",
    "audit_log_page",
]

PAGE_SIZE = 50
EXPORT_BATCH = 500

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_CURSOR_RE = re.compile(r"^(\d{1,17})\.(\d{1,19})$")


@dataclass(frozen=True)
class AuditLogCursor:
    """Where a page ended: the (at, id) of its last event."""

    at: datetime.datetime
    id: int

    def encode(self) -> str:
        micros = (self.at - _EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> AuditLogCursor | None:
        """The cursor of a page link, or None for anything else (never raises)."""
        match = _CURSOR_RE.match(value or "")
        if match is None:
            return None
        try:
            at = _EPOCH + datetime.timedelta(microseconds=int(match.group(1)))
        except OverflowError:
            return None
        return cls(at=at, id=int(match.group(2)))


@dataclass(frozen=True)
class AuditLogFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor: str = ""  # the actor's name contains this (any case)
    action: str = ""  # one action code
    about: str = ""  # a case number, or a service's (an agency's, a centre's) code


@dataclass(frozen=True)
class AuditLogRow:
    id: int
    at: datetime.datetime
    actor: str  # "" for the system
    action: str
    action_label: str
    reason: str
    ip_address: str
    object_type: str
    object_type_label: str
    object_id: str
    object_text: str  # a case's number, a service's code, else the object's id
    acting_for: str

    @property
    def cursor(self) -> AuditLogCursor:
        return AuditLogCursor(at=self.at, id=self.id)


@dataclass(frozen=True)
class AuditLogPage:
    rows: list[AuditLogRow]
    has_next: bool
    next_cursor: AuditLogCursor | None


def audit_log_allowed(user) -> bool:
    """An admin of some agency, or a platform admin (no query beyond the user's roles)."""
    facts = editor_facts(user)
    return facts.platform_admin or bool(facts.agency_ids)


def audit_log_agencies(*, user) -> list[Agency]:
    """The agencies whose log this user may read, by code: every agency for a platform admin, the
    ones they administer for an agency admin, none for anyone else. One query (none for nobody)."""
    facts = editor_facts(user)
    if facts.platform_admin:
        agencies = Agency.objects.all()
    elif facts.agency_ids:
        agencies = Agency.objects.filter(pk__in=facts.agency_ids)
    else:
        return []
    return list(agencies.only("pk", "code", "name_lv", "name_en").order_by("code"))


def audit_log_agency_ids(*, agencies: Sequence[Agency], chosen: str, platform_admin: bool) -> list[int]:
    """The agencies a page shows, of those the user may read (`audit_log_agencies`): the chosen one
    (by code); without a choice all of an agency admin's, none for a platform admin (they pick one)."""
    if chosen:
        return [agency.pk for agency in agencies if agency.code == chosen]
    return [] if platform_admin else [agency.pk for agency in agencies]


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _events(agency_ids, filters: AuditLogFilters, after: AuditLogCursor | None):
    return audit_selectors.events_of_agencies(
        agency_ids=agency_ids,
        since=_day_start(filters.date_from) if filters.date_from else None,
        before=_day_start(filters.date_to + datetime.timedelta(days=1)) if filters.date_to else None,
        actor_contains=filters.actor,
        action=filters.action,
        about=filters.about,
        after=(after.at, after.id) if after is not None else None,
    )


_COLUMNS = (
    "id",
    "at",
    "actor_label",
    "action",
    "reason",
    "ip_address",
    "object_type",
    "object_id",
    "acting_for_label",
)


def _row(values: dict) -> AuditLogRow:
    object_type, object_id = values["object_type"], values["object_id"]
    return AuditLogRow(
        id=values["id"],
        at=values["at"],
        actor=values["actor_label"],
        action=values["action"],
        action_label=action_label(values["action"]),
        reason=values["reason"],
        ip_address=values["ip_address"] or "",
        object_type=object_type,
        object_type_label=object_type_label(object_type) if object_type else "",
        object_id=object_id,
        object_text=str(values["number"] or values["code"] or object_id or ""),
        acting_for=values["acting_for_label"],
    )


def audit_log_page(
    *,
    agency_ids: Sequence[int],
    filters: AuditLogFilters | None = None,
    after: AuditLogCursor | None = None,
    limit: int = PAGE_SIZE,
) -> AuditLogPage:
    """The `limit` events after `after` (from the newest without one) and whether more follow: one
    query (none without an agency). Only what a row shows is read (not the events' whole data)."""
    events = _events(agency_ids, filters or AuditLogFilters(), after)
    values = list(events.values(*_COLUMNS, number=KT("data__number"), code=KT("data__code"))[: limit + 1])
    rows = [_row(v) for v in values[:limit]]
    has_next = len(values) > limit
    return AuditLogPage(rows=rows, has_next=has_next, next_cursor=rows[-1].cursor if has_next else None)


def audit_log_iter(
    *, agency_ids: Sequence[int], filters: AuditLogFilters | None = None, batch: int = EXPORT_BATCH
) -> Iterator[AuditLogRow]:
    """Every event of the filter, newest first, read in keyset batches (for the CSV export)."""
    after = None
    while True:
        page = audit_log_page(agency_ids=agency_ids, filters=filters, after=after, limit=batch)
        yield from page.rows
        if not page.has_next:
            return
        after = page.next_cursor
