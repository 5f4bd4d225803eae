"""Reads of the notifications: a party's notices with their states; an agency's week in figures."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from kernel.paginators import WindowCountPaginator
from kernel.parties import party_key

from .constants import NotificationState
from .models import Notification
from .topics import TOPICS

NOTIFICATIONS_PAGE_SIZE = 25
STATS_ZONE = ZoneInfo("Europe/Riga")
FAILED_STATES = (NotificationState.PERMANENT_FAILURE, NotificationState.TECHNICAL_FAILURE)


def notifications_of(*, party) -> QuerySet[Notification]:
    """The notices sent to `party` (as the party, a representative or a delegate), newest first."""
    return (
        Notification.objects.filter(recipient_key=party_key(party))
        .only(
            "pk",
            "topic",
            "channel",
            "state",
            "subject",
            "to",
            "created_at",
            "delivered_at",
            "failed_at",
            "attempts",
            "purged_at",
            "basis",
            "link_url",
        )
        .order_by("-created_at", "-id")
    )


def notifications_page(*, party, page=None) -> Page:
    """One page of `party`'s notices, with the total: one query."""
    return WindowCountPaginator(notifications_of(party=party), NOTIFICATIONS_PAGE_SIZE).get_page(page or 1)


# --- staff: what an agency's notices became ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotificationStats:
    topic: str
    channel: str
    total: int  # recorded
    sent: int  # left us (handed to the mail server or the SMS gateway, or put in the e-account)
    delivered: int
    failed: int  # given up: permanent or technical failure, or temporary ones retried for too long
    retrying: int  # a temporary failure, still retried


def week_start(now: datetime | None = None) -> datetime:
    """Monday 00:00 of this week, Riga time."""
    local = timezone.localtime(now or timezone.now(), STATS_ZONE)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time.min, tzinfo=STATS_ZONE)


def notification_stats_for_agencies(
    *, agency_ids: Collection[int] | None, since: datetime
) -> list[NotificationStats]:
    """Per topic and channel, the notices of these agencies' services made since `since` (all agencies'
    and those of no agency when `agency_ids` is None: platform admins): one GROUP BY query."""
    qs = Notification.objects.filter(created_at__gte=since)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=sorted(agency_ids))
    failed = Q(state__in=FAILED_STATES) | Q(failed_at__isnull=False)
    rows = (
        qs.order_by()
        .values("topic", "channel")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            delivered=Count("pk", filter=Q(state=NotificationState.DELIVERED)),
            failed=Count("pk", filter=failed),
            retrying=Count("pk", filter=Q(state=NotificationState.TEMPORARY_FAILURE, failed_at__isnull=True)),
        )
        .order_by("topic", "channel")
    )
    return [NotificationStats(**row) for row in rows]


# --- an official's profile of a client (workplace.selectors.profile) ------------------------------


def notifications_of_client(
    *, party, agency_ids: Collection[int] | None = None, limit: int = 20
) -> tuple[list[Notification], int]:
    """The notices sent to `party` (`notifications_of`), newest first, each with `topic_label`; only
    those of `agency_ids`' services when given (an agency's staff). For an official's profile of
    the client: whoever calls it has decided the official may see the client. `(the newest `limit`,
    how many in all)`: one query (COUNT(*) OVER ())."""
    qs = notifications_of(party=party)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=sorted(agency_ids))
    columns = ("pk", "topic", "channel", "state", "subject", "to", "created_at", "sent_at", "delivered_at")
    rows = list(qs.only(*columns, "failed_at").annotate(profile_total=Window(Count("pk")))[:limit])
    for row in rows:
        topic = TOPICS.get(row.topic)
        row.topic_label = topic.label if topic is not None else row.topic
    return rows, (rows[0].profile_total if rows else 0)
