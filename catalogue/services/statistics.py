"""Visit statistics of the service pages (concept 4.4.1.6): a counter per page and day, counted on the
server, without cookies and without keeping who looked."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Service, ServicePageView


def service_page_view_count(*, service: Service, day=None) -> None:
    """One more view of the service's public page on `day` (today): one UPDATE on the hot path; the
    day's first view inserts the row (two views racing for it both count)."""
    today = day or timezone.localdate()
    rows = ServicePageView.objects.filter(service_id=service.pk, day=today)
    if rows.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ServicePageView.objects.create(service_id=service.pk, day=today, views=1)
    except IntegrityError:
        rows.update(views=F("views") + 1)
