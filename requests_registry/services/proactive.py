"""The proactive rules' scan (concept 4.4.2.8): who is due a reminder or an offer, set-based.

Why here and not in notifications: an offer after a life event goes only to a family that has not
applied for the service since the event (and a reminder to renew a document not to someone who has
already applied to renew it) — questions about cases. The registry sits above notifications, so the
scan lives with the cases and composes, for each active rule, ONE statement over the whole
population from querysets of the layers below: eaccount's register data and opt-in
(`eaccount.selectors`), the cases (here), and notifications' claim (`notifications.proactive`), which
inserts the occasions not claimed before and returns nothing to loop over. No Python loop runs per
person; the sending afterwards (notify per claimed occasion, bounded batches) is notifications'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from eaccount import selectors as eaccount_selectors
from notifications import proactive
from notifications.constants import NoticeKind

from ..models import Case


@dataclass
class ScanResult:
    rules: int = 0
    claimed: dict[int, int] = field(default_factory=dict)  # rule id → new occasions
    notified: int = 0

    @property
    def claimed_total(self) -> int:
        return sum(self.claimed.values())


def _document_expiry_candidates(rule, today: date) -> QuerySet:
    """Documents of the rule's kind expiring within its longest period, of persons who opted in to
    reminders and have not applied for the service within that period; the occasion's step is the
    shortest period the document is already within (90 → 30 → 7: each sent once)."""
    days = sorted({int(d) for d in rule.days_before or []})
    if not days:
        return None
    longest = days[-1]
    applied = Case.objects.filter(
        service_id=rule.service_id,
        client_person_id=OuterRef("person_id"),
        created_at__date__gte=today - timedelta(days=longest),
    )
    step = SqlCase(
        *[When(expires_on__lte=today + timedelta(days=d), then=Value(d)) for d in days],
        output_field=IntegerField(),
    )
    return (
        eaccount_selectors.register_documents_expiring(
            kind=rule.document_kind, first_day=today, last_day=today + timedelta(days=longest)
        )
        .filter(person_id__in=eaccount_selectors.notice_opted_in_person_ids(kind=NoticeKind.REMINDER))
        .filter(~Exists(applied))
        .order_by()
        .values(sent_party=F("person_id"), sent_ref=F("pk"), sent_step=step, sent_date=F("expires_on"))
    )


def _child_birth_candidates(rule, today: date) -> QuerySet:
    """Parents of children born within the rule's days, who opted in to offers, when no case of the
    service was filed since the birth for the child or by either parent."""
    # two anti-joins, not one with an OR: each probes the cases' (client_person, created_at) index
    since_birth = Case.objects.filter(
        service_id=rule.service_id, created_at__date__gte=OuterRef("child__birth_date")
    )
    for_child = since_birth.filter(client_person_id=OuterRef("child_id"))
    by_a_parent = eaccount_selectors.parent_links_of(child=OuterRef("child_id")).filter(
        Exists(
            Case.objects.filter(
                service_id=rule.service_id,
                client_person_id=OuterRef("parent_id"),
                created_at__date__gte=OuterRef(OuterRef("child__birth_date")),
            )
        )
    )
    return (
        eaccount_selectors.parent_links_of_children_born(
            first_day=today - timedelta(days=rule.within_days or 0), last_day=today
        )
        .filter(parent_id__in=eaccount_selectors.notice_opted_in_person_ids(kind=NoticeKind.PROACTIVE_OFFER))
        .filter(~Exists(for_child), ~Exists(by_a_parent))
        .order_by()
        .values(
            sent_party=F("parent_id"),
            sent_ref=F("child_id"),
            sent_step=Value(0, output_field=IntegerField()),
            sent_date=F("child__birth_date"),
        )
    )


def _liquidation_candidates(rule, today: date) -> QuerySet:
    """Companies whose liquidation started within the rule's days, that opted in to offers and filed
    no case of the service since."""
    applied = Case.objects.filter(
        service_id=rule.service_id,
        client_organisation_id=OuterRef("organisation_id"),
        created_at__date__gte=OuterRef("started_on"),
    )
    return (
        eaccount_selectors.liquidations_started(
            first_day=today - timedelta(days=rule.within_days or 0), last_day=today
        )
        .filter(
            organisation_id__in=eaccount_selectors.notice_opted_in_organisation_ids(
                kind=NoticeKind.PROACTIVE_OFFER
            )
        )
        .filter(~Exists(applied))
        .order_by()
        .values(
            sent_party=F("organisation_id"),
            sent_ref=F("pk"),
            sent_step=Value(0, output_field=IntegerField()),
            sent_date=F("started_on"),
        )
    )


def proactive_candidates(*, rule, today: date) -> QuerySet | None:
    """The selection of one rule (a values() queryset with notifications.proactive.CANDIDATE_COLUMNS),
    or None for a rule that selects nobody."""
    if rule.kind == "document_expiry":
        return _document_expiry_candidates(rule, today)
    if rule.life_event == "child_birth":
        return _child_birth_candidates(rule, today)
    if rule.life_event == "company_liquidation_started":
        return _liquidation_candidates(rule, today)
    return None


def proactive_scan(*, today: date | None = None, now: datetime | None = None) -> ScanResult:
    """Claim every active rule's due occasions: one query for the rules, then one INSERT … SELECT per
    rule, whatever the population. Safe to run again (what was claimed is never claimed twice)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = ScanResult()
    for rule in proactive.proactive_rules_active():
        candidates = proactive_candidates(rule=rule, today=today)
        result.rules += 1
        if candidates is not None:
            result.claimed[rule.pk] = proactive.proactive_claim(rule=rule, candidates=candidates, now=now)
    return result


def proactive_run(*, today: date | None = None, now: datetime | None = None, **send) -> ScanResult:
    """The beat job: the scan, then the notices of what is claimed and not yet sent (bounded)."""
    now = now or timezone.now()
    result = proactive_scan(today=today, now=now)
    result.notified = proactive.proactive_send_pending(
        now=now, today=today or timezone.localdate(now), **send
    )
    return result
