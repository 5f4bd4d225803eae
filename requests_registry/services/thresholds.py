"""Satisfaction thresholds (concept 4.4.2.8): an agency admin sets one per service of their agency;
beat evaluates them all at once and tells the agency's admins once per crossing.

A threshold reads "the average rating over the last `window_days` days is below `below_average`",
judged only once the window holds at least `min_ratings` ratings (fewer say nothing: the state stays).
A crossing is the condition becoming true while the threshold was not crossed: `crossed_at` is set,
`crossings` counted, and every admin of the service's agency is told through `notify()` with the
dedupe key of that crossing (a second run, or two runs at once, tell nobody twice). It recovers when
enough ratings show the average at or above the threshold again; the next crossing is told again.
Changing a threshold's values starts it afresh (not crossed).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.actors import Actor
from kernel.errors import Invalid, NotFound
from notifications.services import notify
from notifications.topics import Localised

from ..constants import FEEDBACK_MAX, FEEDBACK_MIN
from ..models import SatisfactionThreshold
from ..models.thresholds import MIN_RATINGS_MAX, WINDOW_DAYS_MAX
from ..selectors import thresholds as threshold_selectors

TOPIC = "satisfaction_threshold_crossed"


def _validated(below_average, window_days, min_ratings) -> tuple[Decimal, int, int]:
    errors: dict[str, list[str]] = {}
    try:
        average = Decimal(str(below_average)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        average = None
    if average is None or not Decimal(FEEDBACK_MIN) <= average <= Decimal(FEEDBACK_MAX):
        errors["below_average"] = [
            _("Enter an average rating from %(low)s to %(high)s.")
            % {"low": FEEDBACK_MIN, "high": FEEDBACK_MAX}
        ]
    if not isinstance(window_days, int) or not 1 <= window_days <= WINDOW_DAYS_MAX:
        errors["window_days"] = [_("Enter a number of days from 1 to %(most)s.") % {"most": WINDOW_DAYS_MAX}]
    if not isinstance(min_ratings, int) or not 1 <= min_ratings <= MIN_RATINGS_MAX:
        errors["min_ratings"] = [
            _("Enter a number of ratings from 1 to %(most)s.") % {"most": MIN_RATINGS_MAX}
        ]
    if errors:
        raise Invalid(field_errors=errors)
    return average, window_days, min_ratings


def _administered(actor: Actor, service) -> None:
    agency_ids = threshold_selectors.satisfaction_agency_ids(user=actor.user) if actor.user else set()
    if service.agency_id not in agency_ids:
        raise NotFound


@transaction.atomic
def satisfaction_threshold_set(
    *, actor: Actor, service, below_average, window_days: int, min_ratings: int
) -> SatisfactionThreshold:
    """Set (or change) the threshold of `service`, of an agency the actor administers ("not found"
    otherwise). New values start it afresh: not crossed."""
    _administered(actor, service)
    average, days, ratings = _validated(below_average, window_days, min_ratings)
    threshold = SatisfactionThreshold.objects.select_for_update().filter(service=service).first()
    if threshold is None:
        threshold = SatisfactionThreshold(service=service)
    elif (threshold.below_average, threshold.window_days, threshold.min_ratings) == (average, days, ratings):
        return threshold
    threshold.below_average, threshold.window_days, threshold.min_ratings = average, days, ratings
    threshold.crossed_at = None
    threshold.updated_by = actor.user
    threshold.save()
    return threshold


@transaction.atomic
def satisfaction_threshold_remove(*, actor: Actor, service) -> bool:
    """Remove the threshold of `service` (of an agency the actor administers); False if it had none."""
    _administered(actor, service)
    deleted, _rows = SatisfactionThreshold.objects.filter(service=service).delete()
    return bool(deleted)


def _number(value: Decimal, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "lv" else text


def satisfaction_thresholds_evaluate(*, now: datetime | None = None) -> int:
    """Evaluate every threshold against its service's ratings (one grouped query for all of them, under
    the thresholds' locks), record what was seen, and tell the agency's admins of each new crossing.
    Returns how many thresholds were crossed now."""
    now = now or timezone.now()
    with transaction.atomic():
        thresholds = list(
            SatisfactionThreshold.objects.select_for_update(of=("self",))
            .select_related("service", "service__agency")
            .order_by("pk")
        )
        if not thresholds:
            return 0
        seen = threshold_selectors.satisfaction_by_service(now=now)
        crossed = []
        for threshold in thresholds:
            satisfaction = seen.get(threshold.service_id)
            count = satisfaction.count if satisfaction else 0
            average = satisfaction.average if satisfaction else None
            threshold.last_count, threshold.last_average, threshold.evaluated_at = count, average, now
            if average is None or count < threshold.min_ratings:
                continue  # too few ratings to say either way
            if average < threshold.below_average and threshold.crossed_at is None:
                threshold.crossed_at = now
                threshold.crossings += 1
                crossed.append(threshold)
            elif average >= threshold.below_average and threshold.crossed_at is not None:
                threshold.crossed_at = None
        SatisfactionThreshold.objects.bulk_update(
            thresholds,
            ["last_count", "last_average", "evaluated_at", "crossed_at", "crossings"],
            batch_size=500,
        )
        if crossed:
            admins = threshold_selectors.agency_admin_persons(
                agency_ids={threshold.service.agency_id for threshold in crossed}, now=now
            )
            for threshold in crossed:
                _tell_admins(threshold, admins.get(threshold.service.agency_id, []))
    return len(crossed)


def _tell_admins(threshold: SatisfactionThreshold, persons: list) -> None:
    service = threshold.service
    context = {
        "service": Localised(service.title_lv, service.title_en),
        "average": Localised(_number(threshold.last_average, "lv"), _number(threshold.last_average, "en")),
        "threshold": Localised(
            _number(threshold.below_average, "lv"), _number(threshold.below_average, "en")
        ),
        "ratings": threshold.last_count,
        "days": threshold.window_days,
    }
    agency = service.agency
    for person in persons:
        notify(
            party=person,
            topic=TOPIC,
            context=context,
            dedupe_key=f"satisfaction-threshold:{threshold.pk}:{threshold.crossings}",
            sender_label=agency.name_lv,
            link_url=reverse("requests_registry:thresholds"),
        )
