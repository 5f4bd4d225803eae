"""Reads of the satisfaction thresholds: the ratings behind them (one aggregate query for all), the
thresholds an agency admin may set, and whom a crossing is told."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalogue import selectors as catalogue_selectors
from eaccount import selectors as eaccount_selectors
from eaccount.constants import StaffRoleKind

from ..models import Feedback, SatisfactionThreshold

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Satisfaction:
    count: int
    average: Decimal | None


def satisfaction_by_service(*, now: datetime | None = None) -> dict[int, Satisfaction]:
    """{service id: the count and average of its ratings in its threshold's window}, for every service
    with a threshold and a rating in its window: ONE grouped query over the feedback of cases and of
    consultations, each rating against its own service's window (`now - window_days`)."""
    now = now or timezone.now()
    window_of_service = SatisfactionThreshold.objects.filter(service_id=OuterRef("rated_service")).values(
        "window_days"
    )[:1]
    rows = (
        Feedback.objects.annotate(rated_service=Coalesce("case__service_id", "consultation__service_id"))
        .annotate(window_days=Subquery(window_of_service, output_field=IntegerField()))
        .filter(window_days__isnull=False)
        .filter(
            created_at__gte=ExpressionWrapper(
                Value(now, output_field=DateTimeField())
                - ExpressionWrapper(F("window_days") * Value(ONE_DAY), output_field=DurationField()),
                output_field=DateTimeField(),
            )
        )
        .order_by()
        .values("rated_service")
        .annotate(count=Count("pk"), average=Avg("rating"))
    )
    return {
        row["rated_service"]: Satisfaction(count=row["count"], average=_two_places(row["average"]))
        for row in rows
    }


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def satisfaction_agency_ids(*, user) -> set[int]:
    """The agencies whose services' thresholds `user` may set: the ones they administer."""
    return eaccount_selectors.agency_ids_administered(user=user)


def satisfaction_services_for_admin(*, user) -> list:
    """The services of the agencies `user` administers, each with its threshold (or None): the list
    page (2 queries)."""
    services = catalogue_selectors.services_of_agencies(agency_ids=satisfaction_agency_ids(user=user))
    thresholds = {
        threshold.service_id: threshold
        for threshold in SatisfactionThreshold.objects.filter(service_id__in=[s.pk for s in services])
    }
    return [(service, thresholds.get(service.pk)) for service in services]


def satisfaction_service_for_admin(*, user, code: str) -> tuple | None:
    """(the service `code` of an agency `user` administers, its threshold or None); None — "not
    found" — for another agency's service and a missing one alike."""
    agency_ids = satisfaction_agency_ids(user=user)
    service = catalogue_selectors.services_by_codes(codes=[code]).get(code) if code else None
    if service is None or service.agency_id not in agency_ids:
        return None
    threshold = SatisfactionThreshold.objects.filter(service=service).first()
    return service, threshold


def agency_admin_persons(*, agency_ids: Collection[int], now: datetime | None = None) -> dict[int, list]:
    """{agency id: the Persons of its admins now (an active agency_admin role)}: one query.
    (A question for eaccount.selectors; asked here through the user model until it has one.)"""
    now = now or timezone.now()
    user_model = get_user_model()
    active_admin = Q(
        staff_roles__kind=StaffRoleKind.AGENCY_ADMIN,
        staff_roles__agency_id__in=list(agency_ids),
        staff_roles__revoked_at__isnull=True,
        staff_roles__valid_from__lte=now,
    ) & (Q(staff_roles__valid_until__isnull=True) | Q(staff_roles__valid_until__gt=now))
    rows = (
        user_model.objects.filter(active_admin, person__isnull=False, is_active=True)
        .annotate(admin_of=F("staff_roles__agency_id"))
        .select_related("person")
        .order_by("admin_of", "person_id")
    )
    found: dict[int, list] = {}
    for user in rows:
        persons = found.setdefault(user.admin_of, [])
        if all(person.pk != user.person_id for person in persons):
            persons.append(user.person)
    return found


def thresholds_all() -> QuerySet[SatisfactionThreshold]:
    return SatisfactionThreshold.objects.select_related("service", "service__agency").order_by("pk")
