"""What the workplace's escalation job asks of the registry: the late cases and the unresolved
consultations, as querysets it turns into one INSERT … SELECT (no rows come to Python here)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from ..constants import OPEN_STATUSES, CaseStatus, ConsultationOutcome
from ..models import Case, Consultation

# the SLA clock stands still while the case waits for the client (information or a payment)
CLOCK_STOPPED_STATUSES = frozenset({CaseStatus.NEEDS_INFO, CaseStatus.AWAITING_PAYMENT})
CLOCK_RUNNING_STATUSES = OPEN_STATUSES - CLOCK_STOPPED_STATUSES


def cases_late(*, today: date) -> QuerySet[Case]:
    """Open cases whose clock runs and whose planned completion date is before `today` (unordered)."""
    return Case.objects.filter(
        status__in=sorted(CLOCK_RUNNING_STATUSES), planned_completion__lt=today
    ).order_by()


def consultations_unresolved() -> QuerySet[Consultation]:
    """Consultations marked "follow-up needed" (unordered)."""
    return Consultation.objects.filter(outcome=ConsultationOutcome.FOLLOW_UP).order_by()
