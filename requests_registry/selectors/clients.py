"""One client's cases and consultations, as an official sees them on the client's profile (the
one-stop centre's 360 view, `workplace.selectors.profile`): whoever calls these has already decided
that the official may see the client. Each answers `(rows, total)`: the newest `limit` rows and how
many there are in all, read in one query (COUNT(*) OVER ()) whatever the number."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Q, QuerySet, Window

from kernel.parties import is_person

from ..models import Case, Consultation

CLIENT_LIST_LIMIT = 20

# what a profile's row shows: never the case's data (up to 64 kB) nor its files
_CASE_COLUMNS = (
    "id",
    "number",
    "status",
    "planned_completion",
    "channel",
    "basis",
    "created_at",
    "completed_at",
    "agency_id",
    "service",
    "centre",
    "service__id",
    "service__code",
    "service__title_lv",
    "service__title_en",
    "centre__id",
    "centre__name_lv",
    "centre__name_en",
)
_CONSULTATION_COLUMNS = (
    "id",
    "topic",
    "channel",
    "outcome",
    "duration_minutes",
    "created_at",
    "service",
    "agency",
    "centre",
    "case",
    "service__id",
    "service__code",
    "service__title_lv",
    "service__title_en",
    "agency__id",
    "agency__name_lv",
    "agency__name_en",
    "centre__id",
    "centre__name_lv",
    "centre__name_en",
    "case__id",
    "case__number",
)


def _head(qs: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and the total, in one query (none at all when there are no rows)."""
    rows = list(qs.annotate(profile_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].profile_total if rows else 0)


def _client_filter(party) -> dict:
    return {"client_person_id": party.pk} if is_person(party) else {"client_organisation_id": party.pk}


def cases_of_client(
    *, party, agency_ids: Collection[int] | None = None, limit: int = CLIENT_LIST_LIMIT
) -> tuple[list[Case], int]:
    """The party's cases (they are its client), newest first, with the service (code, titles), the
    status, planned completion, channel, basis and the one-stop centre; only those of the services of
    `agency_ids` when given (an agency's staff). `(the newest `limit`, how many in all)`: one query."""
    qs = Case.objects.filter(**_client_filter(party))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=sorted(agency_ids))
    qs = qs.select_related("service", "centre").only(*_CASE_COLUMNS).order_by("-created_at", "-id")
    return _head(qs, limit)


def consultations_of_client(
    *, party, agency_ids: Collection[int] | None = None, limit: int = CLIENT_LIST_LIMIT
) -> tuple[list[Consultation], int]:
    """The consultations given to the party, newest first, with the service, the agency or centre
    that gave it and the case it led to; only those given by or about the services of `agency_ids`
    when given (the consultation's agency, or its service's agency). One query."""
    qs = Consultation.objects.filter(**_client_filter(party))
    if agency_ids is not None:
        ids = sorted(agency_ids)
        qs = qs.filter(Q(agency_id__in=ids) | Q(service__agency_id__in=ids))
    qs = (
        qs.select_related("service", "agency", "centre", "case")
        .only(*_CONSULTATION_COLUMNS)
        .order_by("-created_at", "-id")
    )
    return _head(qs, limit)
