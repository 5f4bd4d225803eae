"""What the case API reads: its columns of a case (named once), and its busiest read,
GET /api/v1/cases/{number}/ for an agency's API client.

The latter runs two fixed SQL statements built once per process from the models' metadata: no ORM query building
per request, and few joins, so PostgreSQL plans them quickly (a single 7-table join spent ~2 ms
planning, several times its execution). The scope is that of cases.case_get_for_agency. Each
column comes from CASE_FIELDS (its key in the answer is "case__" + its path).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..exceptions import CaseNotFound
from ..models import Case, StatusChange
from .cases import case_number_is_valid

# What the case API reads of a case, named once: the ORM paths of its columns. The selectors of
# cases.py decide which cases (access); these narrow the columns and joins to what the API answers
# (their select_related serves the HTML pages). The hot read below builds its SQL from the same list.
CASE_RELATED = ("service", "client_person", "client_organisation")
CASE_FIELDS = (
    "id",
    "number",
    "status",
    "channel",
    "basis",
    "external_reference",
    "planned_completion",
    "created_at",
    "updated_at",
    "completed_at",
    "service",
    "service__code",
    "client_person",
    "client_person__personal_code",
    "client_person__first_name",
    "client_person__last_name",
    "client_organisation",
    "client_organisation__registration_number",
    "client_organisation__name",
)
_CLIENT_PATHS = ("client_person__", "client_organisation__")
LIST_FIELDS = tuple(f for f in CASE_FIELDS if not f.startswith(_CLIENT_PATHS))
PERSON_FIELDS = (
    "id",
    *(f.removeprefix("client_person__") for f in CASE_FIELDS if f.startswith("client_person__")),
)
ORGANISATION_FIELDS = (
    "id",
    *(f.removeprefix("client_organisation__") for f in CASE_FIELDS if f.startswith("client_organisation__")),
)
HISTORY_VALUES = (
    "seq",
    "from_status",
    "to_status",
    "at",
    "system_label",
    "channel",
    "note",
    "visible_to_client",
    "actor__username",
    "actor__person__first_name",
    "actor__person__last_name",
)


def _related(field: str):
    """Another app's model, reached through the case's own foreign key (which names it by label)."""
    return Case._meta.get_field(field).related_model


def case_api_lean(cases: QuerySet[Case], *, with_data: bool = False) -> QuerySet[Case]:
    """The API's columns of these cases, with their service and client joined."""
    fields = (*CASE_FIELDS, "data") if with_data else CASE_FIELDS
    return cases.select_related(None).select_related(*CASE_RELATED).only(*fields)


def case_api_page_query(cases: QuerySet[Case]) -> QuerySet[Case]:
    """For a list page: the page first (cases joined only with their service), then its clients in
    one query each — joining every matching case's client before the sort and limit costs far more."""
    return (
        cases.select_related(None)
        .select_related("service")
        .only(*LIST_FIELDS)
        .prefetch_related(
            Prefetch("client_person", queryset=_related("client_person").objects.only(*PERSON_FIELDS)),
            Prefetch(
                "client_organisation",
                queryset=_related("client_organisation").objects.only(*ORGANISATION_FIELDS),
            ),
        )
    )


def _case_columns():
    aliases = {"service": "s", "client_person": "p", "client_organisation": "o"}
    for path in (*CASE_FIELDS, "data"):
        head, _sep, rest = path.partition("__")
        if rest:
            yield f"case__{path}", aliases[head], _related(head), rest
        else:
            yield f"case__{Case._meta.get_field(path).attname}", "c", Case, path


def _history_columns():
    user = get_user_model()
    tables = {
        "": ("h", StatusChange),
        "actor": ("u", user),
        "actor__person": ("ap", _related("client_person")),
    }
    for path in HISTORY_VALUES:
        owner, _sep, field = path.rpartition("__")
        alias, model = tables[owner]
        yield path, alias, model, field


_statements: dict[str, tuple[str, tuple[str, ...]]] = {}


def _build() -> dict[str, tuple[str, tuple[str, ...]]]:
    """{name: (SQL, the keys of its columns)}. Identifiers come only from the models' metadata
    (quoted); values are bound parameters."""
    q = connection.ops.quote_name
    person, organisation, service = (
        _related("client_person"),
        _related("client_organisation"),
        _related("service"),
    )
    user = get_user_model()

    def col(alias: str, model, field: str) -> str:
        return f"{alias}.{q(model._meta.get_field(field).column)}"

    def select(columns) -> tuple[str, tuple[str, ...]]:
        return ", ".join(col(a, m, f) for _k, a, m, f in columns), tuple(k for k, *_rest in columns)

    case_select, case_keys = select(list(_case_columns()))
    history_select, history_keys = select(list(_history_columns()))
    case_sql = (
        f"SELECT {case_select} FROM {q(Case._meta.db_table)} c "  # noqa: S608
        f"INNER JOIN {q(service._meta.db_table)} s ON s.{q('id')} = {col('c', Case, 'service')} "
        f"LEFT OUTER JOIN {q(person._meta.db_table)} p ON p.{q('id')} = {col('c', Case, 'client_person')} "
        f"LEFT OUTER JOIN {q(organisation._meta.db_table)} o "
        f"ON o.{q('id')} = {col('c', Case, 'client_organisation')} "
        f"WHERE {col('c', Case, 'number')} = %s AND {col('s', service, 'agency')} = %s"
    )
    history_sql = (
        f"SELECT {history_select} FROM {q(StatusChange._meta.db_table)} h "  # noqa: S608
        f"LEFT OUTER JOIN {q(user._meta.db_table)} u ON u.{q('id')} = {col('h', StatusChange, 'actor')} "
        f"LEFT OUTER JOIN {q(person._meta.db_table)} ap ON ap.{q('id')} = {col('u', user, 'person')} "
        f"WHERE {col('h', StatusChange, 'case')} = %s ORDER BY {col('h', StatusChange, 'seq')}"
    )
    return {"case": (case_sql, case_keys), "history": (history_sql, history_keys)}


def _aware(value):
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without a converter
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def case_detail_rows_for_agency(*, agency_id: int, number: str) -> tuple[dict, list[dict]]:
    """A case of one of the agency's services and its whole history (oldest first), in two
    queries, as dicts (`case__…` keys for the case; the history columns' keys for each row).

    CaseNotFound for missing, foreign and malformed numbers alike.
    """
    if not case_number_is_valid(number):
        raise CaseNotFound(number)
    if not _statements:
        _statements.update(_build())
    case_sql, case_keys = _statements["case"]
    history_sql, history_keys = _statements["history"]
    with connection.cursor() as cursor:
        cursor.execute(case_sql, [number, agency_id])
        row = cursor.fetchone()
        if row is None:
            raise CaseNotFound(number)
        case = dict(zip(case_keys, row, strict=True))
        cursor.execute(history_sql, [case["case__id"]])
        history = [dict(zip(history_keys, r, strict=True)) for r in cursor.fetchall()]
    for key in ("case__created_at", "case__updated_at", "case__completed_at"):
        case[key] = _aware(case[key])
    planned = case["case__planned_completion"]
    if isinstance(planned, str):
        case["case__planned_completion"] = date.fromisoformat(planned)
    if isinstance(case["case__data"], str | bytes):
        case["case__data"] = json.loads(case["case__data"])
    for entry in history:
        entry["at"] = _aware(entry["at"])
        entry["visible_to_client"] = bool(entry["visible_to_client"])
    return case, history
