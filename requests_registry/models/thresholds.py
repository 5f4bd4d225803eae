"""Satisfaction thresholds: an agency admin's alarm on a service's average rating (concept 4.4.2.8)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import FEEDBACK_MAX, FEEDBACK_MIN

__all__ = ["SatisfactionThreshold"]

WINDOW_DAYS_MAX = 365
MIN_RATINGS_MAX = 10_000


class SatisfactionThreshold(models.Model):
    """ "Tell us when the average rating of this service over the last `window_days` days falls below
    `below_average`", judged only once at least `min_ratings` ratings are in the window (fewer say
    nothing either way). `crossed_at` is the state: set when the condition becomes true (a crossing:
    the agency's admins are told once, keyed by `crossings`), cleared when enough ratings show the
    average back at or above the threshold (recovered: the next crossing is told again)."""

    service = models.OneToOneField(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="satisfaction_threshold",
    )
    below_average = models.DecimalField(
        _("average rating below"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.50"),
        validators=[MinValueValidator(Decimal(FEEDBACK_MIN)), MaxValueValidator(Decimal(FEEDBACK_MAX))],
    )
    window_days = models.PositiveSmallIntegerField(
        _("over the last (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(WINDOW_DAYS_MAX)],
    )
    min_ratings = models.PositiveIntegerField(
        _("at least this many ratings"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MIN_RATINGS_MAX)],
    )
    crossed_at = models.DateTimeField(_("crossed at"), null=True, blank=True)
    crossings = models.PositiveIntegerField(_("crossings"), default=0)
    # what the last evaluation saw
    last_average = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    last_count = models.PositiveIntegerField(default=0)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("satisfaction threshold")
        verbose_name_plural = _("satisfaction thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(below_average__gte=FEEDBACK_MIN, below_average__lte=FEEDBACK_MAX),
                name="satisfaction_threshold_in_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(window_days__gte=1, window_days__lte=WINDOW_DAYS_MAX),
                name="satisfaction_threshold_window",
            ),
            models.CheckConstraint(
                condition=Q(min_ratings__gte=1), name="satisfaction_threshold_min_ratings"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: < {self.below_average} / {self.window_days} d / {self.min_ratings}"

    @property
    def is_crossed(self) -> bool:
        return self.crossed_at is not None
