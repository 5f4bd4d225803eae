"""Reads of the visit statistics of the service pages (concept 4.4.1.6): the counters that
`services.statistics.service_page_view_count` keeps (one row per service and day, nobody's identity)
summed per service and per day for a period, for the agency's own administrators.

Who sees what: a platform admin any agency's statistics, an agency admin their own agencies', nobody
else anything (`statistics_agencies`, `statistics_agency_get`). Every read is one query, whatever the
number of services or days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from kernel.errors import NotFound

from ..constants import ServiceState
from ..models import Agency, Service, ServicePageView
from ..permissions import agencies_editable

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366


class StatisticsAgencyNotFound(NotFound):
    """No such agency, or not one whose statistics the asker may see (one answer for both)."""

    code = "catalogue.statistics_agency_not_found"


@dataclass(frozen=True)
class ServiceViews:
    """A row of the per-service table: the service (id, code, titles, state) and its views."""

    service: Service
    views: int


@dataclass(frozen=True)
class DayViews:
    day: date
    views: int


def statistics_period_default(*, today: date | None = None) -> tuple[date, date]:
    """The last DEFAULT_PERIOD_DAYS days, today included."""
    end = today or timezone.localdate()
    return end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end


def statistics_agencies(*, actor) -> list[Agency]:
    """The agencies whose statistics the actor may see, by code: every agency for a platform admin,
    the agencies they administer for an agency admin, none for anyone else. One query."""
    user = getattr(actor, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(agencies_editable(user).order_by("code"))


def statistics_agency_get(*, actor, code: str) -> Agency:
    """The agency with this code if the actor may see its statistics; StatisticsAgencyNotFound
    alike for a code nobody has and for another agency's."""
    for agency in statistics_agencies(actor=actor):
        if agency.code == code:
            return agency
    raise StatisticsAgencyNotFound(code)


def statistics_services(*, agency_id: int) -> list[Service]:
    """The agency's services that have been public (published once, or withdrawn since), by code:
    the rows of the per-service table and the choices of the per-day table. One query; a draft that
    was never published has no page anyone could visit."""
    return list(
        Service.objects.filter(agency_id=agency_id)
        .filter(Q(version__gt=0) | ~Q(state=ServiceState.DRAFT))
        .only("id", "code", "title_lv", "title_en", "state")
        .order_by("code")
    )


def page_views_by_service(
    *, agency_id: int, start: date, end: date, services: list[Service]
) -> list[ServiceViews]:
    """The views of each of `services` (the agency's, from statistics_services) from `start` to
    `end` (both included), most viewed first, then by code; services without views show 0.
    One aggregate query."""
    totals = dict(
        ServicePageView.objects.filter(service__agency_id=agency_id, day__gte=start, day__lte=end)
        .order_by()
        .values("service_id")
        .annotate(total=Sum("views"))
        .values_list("service_id", "total")
    )
    rows = [ServiceViews(service=service, views=totals.get(service.pk) or 0) for service in services]
    rows.sort(key=lambda row: (-row.views, row.service.code))
    return rows


def page_views_by_day(
    *, agency_id: int, start: date, end: date, service_id: int | None = None
) -> list[DayViews]:
    """The views per day from `start` to `end` (both included, every day, 0 where nobody looked) of
    one service of the agency, or of all its services together (`service_id=None`). One aggregate
    query."""
    rows = ServicePageView.objects.filter(service__agency_id=agency_id, day__gte=start, day__lte=end)
    if service_id is not None:
        rows = rows.filter(service_id=service_id)
    per_day = dict(rows.order_by().values("day").annotate(total=Sum("views")).values_list("day", "total"))
    days = (end - start).days + 1
    return [
        DayViews(day=day, views=per_day.get(day) or 0)
        for day in (start + timedelta(days=n) for n in range(max(days, 0)))
    ]
