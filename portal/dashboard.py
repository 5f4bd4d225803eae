"""The dashboard: what a logged-in person sees first, for whoever they act for now.

One function, `dashboard_for`, composes it from the apps' public selectors (cases from
`requests_registry.selectors`, invoices from `payments.selectors`, messages from `eaccount.inbox`); both scope by the principal and, for
a delegate, by the delegated services. Every section is a fixed number of queries whatever the data:
one query per list, its rows and its total together (COUNT(*) OVER ()), plus one for the agency's
questions of the cases that need an answer. Each list reads only the columns its cards show: the
total is counted over every row of the list, so a wide row (a case's form data, its service's
search vectors) costs once per row, not once per card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Window
from django.utils.translation import gettext_lazy as _

from eaccount import inbox
from kernel.actors import Actor
from payments import selectors as payment_selectors
from requests_registry import selectors as case_selectors
from requests_registry.constants import OPEN_STATUSES, CaseStatus

SECTION_LIMIT = 5

# what an invoice's card and an unread message's card show (case cards: `case_rows`)
_INVOICE_CARD = (
    "amount",
    "paid_amount",
    "due_date",
    "state",
    "reference",
    "case__service__title_lv",
    "case__service__title_en",
)
_MESSAGE_CARD = (
    "subject",
    "subject_en",
    "created_at",
    "sender_label",
    "sender_agency__name_lv",
    "sender_agency__name_en",
)

# the next step of an open case, in words, by its status
NEXT_STEPS = {
    CaseStatus.SUBMITTED: _("The agency will register your application."),
    CaseStatus.REGISTERED: _("The agency will start examining your application."),
    CaseStatus.IN_PROGRESS: _("The agency is examining your application; no action is needed from you."),
    CaseStatus.NEEDS_INFO: _("Answer the agency's question."),
    CaseStatus.AWAITING_PAYMENT: _("Pay the fee; the agency continues once the payment arrives."),
}


@dataclass(frozen=True)
class Section:
    """The first few items of a list (`items`) and how many there are in all (`total`)."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


@dataclass(frozen=True)
class Dashboard:
    principal: object  # delegation.selectors.Principal, or None for a user with no person
    needs_action: Section  # cases waiting for the client's information, each with its `question`
    to_pay: Section  # invoices still to pay, soonest due first
    open_cases: Section  # open cases, soonest planned completion first, each with its `next_step`
    unread_messages: Section  # the newest unread messages the actor may see
    results: Section  # completed cases, newest first

    @property
    def is_empty(self) -> bool:
        return not (
            self.needs_action.total
            or self.to_pay.total
            or self.open_cases.total
            or self.unread_messages.total
            or self.results.total
        )


def _head(qs: QuerySet, limit: int = SECTION_LIMIT) -> Section:
    """The first `limit` rows and the total, in one query (also when there are none)."""
    rows = list(qs.annotate(section_total=Window(Count("pk")))[:limit])
    return Section(items=rows, total=rows[0].section_total if rows else 0)


def _question(case) -> str:
    """The agency's question: the note of the latest change into "needs information" the client may see."""
    for change in sorted(case.status_changes.all(), key=lambda c: c.seq, reverse=True):
        if change.visible_to_client and change.to_status == CaseStatus.NEEDS_INFO:
            return change.note
    return ""


def dashboard_for(*, actor: Actor, principal) -> Dashboard:
    """What the dashboard shows to `actor.user` acting for `principal` (delegation's Principal:
    oneself, a minor child, a company or a delegator). Cases come from `case_list_for_user`, which
    limits a delegate to the delegated services; messages from the inbox, which does the same for
    the actor. At most 6 queries (5, when no case needs an answer), whatever the number of rows."""
    if principal is None or actor.user is None:
        empty = Section()
        return Dashboard(principal, empty, empty, empty, empty, empty)
    cases = case_selectors.case_list_for_user(user=actor.user, principal=principal)

    # needs your action: cases waiting for information (+1 query for their history, when any)
    needs_action = _head(
        case_selectors.case_rows(cases.filter(status=CaseStatus.NEEDS_INFO)).prefetch_related(
            "status_changes"
        )
    )
    for case in needs_action.items:
        case.question = _question(case)
    to_pay = _head(
        payment_selectors.invoices_to_pay_for_user(user=actor.user, principal=principal).only(*_INVOICE_CARD)
    )
    # PLACEHOLDER(signing): documents to sign, once e-signing exists, as one more Section here.

    open_cases = _head(
        case_selectors.case_rows(cases.filter(status__in=sorted(OPEN_STATUSES))).order_by(
            F("planned_completion").asc(nulls_last=True), "-created_at", "-id"
        )
    )
    for case in open_cases.items:
        case.next_step = NEXT_STEPS.get(case.status, "")

    unread_messages = _head(
        inbox.inbox_messages_for_actor(actor=actor, unread_only=True).only(*_MESSAGE_CARD)
    )

    results = _head(
        case_selectors.case_rows(
            cases.filter(status=CaseStatus.COMPLETED), "completed_at", "result_document"
        ).order_by(F("completed_at").desc(nulls_last=True), "-created_at", "-id")
    )
    # PLACEHOLDER(notifications): reminders (deadlines, appointments), once the notifications app
    #   exists, as one more Section here.
    return Dashboard(
        principal=principal,
        needs_action=needs_action,
        to_pay=to_pay,
        open_cases=open_cases,
        unread_messages=unread_messages,
        results=results,
    )
