"""The "who looked at my data" page (after Estonia's data tracker): the reads of a principal's data kept in
the audit trail, in two lists, newest first.

- officials and agencies' systems: who (name), the institution, when, what, why;
- the person themselves and those who act for them (legal representatives, delegates).

Who sees it: the principal themselves and their legal representatives (a parent of a minor, a board
member of a company) — those who answer for the principal's data. A delegate acts for the principal
on some services but is not the data subject: for them the page is "not found", like for anyone
else. The principal is the Actor's (whom the user acts for now, validated by the delegation app), so
no address or form field can name somebody else's log.

Each list is one query a page (a lookahead page on the audit trail's subject index), whatever the
number of reads: the events carry the names and institutions they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit import selectors as audit_selectors
from audit.selectors import Reader
from kernel.actors import Actor
from kernel.constants import Basis
from kernel.errors import NotFound
from kernel.paginators import LookaheadPage, LookaheadPaginator

ACCESS_LOG_PAGE_SIZE = 20

# the bases on which the actor sees the principal's access log
_LOG_BASES = frozenset({Basis.SELF, Basis.LEGAL_REPRESENTATION})

_OFFICIAL_READERS = (Reader.OFFICIAL, Reader.AGENCY_SYSTEM)
_OWN_READERS = (Reader.CLIENT,)


class AccessLogNotFound(NotFound):
    code = "eaccount.access_log_not_found"


def access_log_allowed(actor: Actor) -> bool:
    """May this actor see the reads of the principal they act for now?"""
    return actor.user_or_none is not None and actor.principal is not None and actor.basis in _LOG_BASES


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    who: str
    institution: str
    number: str  # the case read ("" if the event names none)
    file_name: str
    why: str
    basis: str  # on the person's side: on what basis the reader acted
    by_viewer: bool  # the viewer themselves read it
    via_api: bool


def _why(data: dict) -> str:
    # a purpose given in words when the data was read (e.g. a one-stop centre's profile look)
    if data.get("why"):
        return (get_language() == "en" and data.get("why_en")) or data["why"]
    purpose = data.get("purpose")
    if purpose == "case_processing":
        return _("Processing of case %(number)s") % {"number": data.get("number", "")}
    if purpose == "api":
        return _("Data exchange with the agency's system %(name)s") % {"name": data.get("api_client", "")}
    return ""


def _basis_label(code: str) -> str:
    try:
        return str(Basis(code).label)
    except ValueError:
        return ""


def _row(event, *, viewer_id) -> AccessRow:
    data = event.data or {}
    via_api = data.get("reader") == Reader.AGENCY_SYSTEM or "via" in data
    who = data.get("api_client") or event.actor_label
    return AccessRow(
        at=event.at,
        who=who,
        institution=(get_language() == "en" and data.get("agency_en")) or data.get("agency", ""),
        number=data.get("number", ""),
        file_name=data.get("file", ""),
        why=_why(data),
        basis=_basis_label(data.get("basis", "")),
        by_viewer=viewer_id is not None and event.actor_id == viewer_id,
        via_api=via_api,
    )


@dataclass(frozen=True)
class AccessLog:
    principal: object
    officials: LookaheadPage  # of AccessRow
    own: LookaheadPage  # of AccessRow


def _page(qs, number, *, viewer_id) -> LookaheadPage:
    page = LookaheadPaginator(qs, ACCESS_LOG_PAGE_SIZE).get_page(number)
    page.object_list = [_row(event, viewer_id=viewer_id) for event in page.object_list]
    return page


def access_log_for_actor(*, actor: Actor, officials_page=None, own_page=None) -> AccessLog:
    """The two lists for the principal the actor acts for now; AccessLogNotFound if the actor may
    not see them (a delegate, nobody logged in). Two queries."""
    if not access_log_allowed(actor):
        raise AccessLogNotFound()
    principal = actor.principal
    subject = {"subject_type": principal._meta.label_lower, "subject_id": principal.pk}
    viewer_id = actor.user_or_none.pk
    fields = ("id", "at", "actor_id", "actor_label", "data")
    officials = audit_selectors.reads_of(**subject, readers=_OFFICIAL_READERS).only(*fields)
    own = audit_selectors.reads_of(**subject, readers=_OWN_READERS).only(*fields)
    return AccessLog(
        principal=principal,
        officials=_page(officials, officials_page, viewer_id=viewer_id),
        own=_page(own, own_page, viewer_id=viewer_id),
    )
