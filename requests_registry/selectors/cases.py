"""Cases: who may see which (agencies, their staff, clients and whoever acts for them), their
history, files and feedback. A case one may not see is "not found", exactly like a missing one or a
malformed number (CaseNotFound)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from catalogue import selectors as catalogue_selectors
from delegation import selectors as delegation_selectors
from delegation.constants import Basis
from eaccount.selectors import agency_ids_for_user

from ..constants import CASE_NUMBER_REGEX, OPEN_STATUSES, CaseFileKind, CaseStatus
from ..exceptions import CaseNotFound
from ..models import Case, CaseAttachment, Feedback, StatusChange

_NUMBER_RE = re.compile(CASE_NUMBER_REGEX)

CASE_LIST_RELATED = (
    "service",
    "client_person",
    "client_organisation",
    "assigned_to",
    "assigned_to__person",
)

# What a row of the case lists shows (`registry_rows`): the e-form data and the service's texts
# and JSON stay in the database (they were most of what a list page read and decoded).
CASE_ROW_FIELDS = (
    "number",
    "status",
    "created_at",
    "updated_at",
    "planned_completion",
    "service__code",
    "service__title_lv",
    "service__title_en",
)
STAFF_CASE_ROW_FIELDS = (
    *CASE_ROW_FIELDS,
    "client_person__first_name",
    "client_person__last_name",
    "client_organisation__name",
    "assigned_to",
)

# A case page's query joins only these. Joined into one statement, all eight of its relations cost
# PostgreSQL about ten times more planning (~9 ms on the 1M-case set) than executing (bench/pages.py).
CASE_PAGE_RELATED = ("service", "service__agency", "service_version", "client_person")


def _with_people(case: Case, *, staff: bool) -> Case:
    """Reads the submitter (and for staff the assignee) with their person, one query each where the
    case has one. An organisation or a centre is read by its own foreign key when the page shows it
    (none for most cases). Plain reads: `prefetch_related`'s machinery cost more than these."""
    users = get_user_model().objects.select_related("person")
    if case.submitted_by_id:
        case.submitted_by = users.get(pk=case.submitted_by_id)
    if staff and case.assigned_to_id:
        case.assigned_to = users.get(pk=case.assigned_to_id)
    return case


def _assignee_label() -> Subquery:
    """The assignee's name as `User.__str__` gives it (their person's name, else the username).
    A subquery: joining the user and their person cost PostgreSQL 2.3 ms more planning of the staff
    list (against 0.5 ms running it) than the three other joins together."""
    label = models.Case(
        models.When(person__isnull=False, then=Concat("person__first_name", Value(" "), "person__last_name")),
        default=F("username"),
    )
    users = get_user_model().objects.filter(pk=OuterRef("assigned_to_id"))
    return Subquery(users.annotate(label=label).values("label")[:1])


def case_rows(cases: QuerySet[Case], *also: str, for_staff: bool = False) -> QuerySet[Case]:
    """A case list narrowed to the columns its page shows (and the fields named in `also`). A staff
    row also shows the client and the assignee (`assignee_label`, "" for none)."""
    if not for_staff:
        return cases.only(*CASE_ROW_FIELDS, *also)
    return (
        cases.select_related(None)
        .select_related("service", "client_person", "client_organisation")
        .only(*STAFF_CASE_ROW_FIELDS, *also)
        .annotate(assignee_label=_assignee_label())
    )


def staff_agency_ids(*, user) -> set[int]:
    """The agencies the user works for now (the e-account reads the roles once per request)."""
    return agency_ids_for_user(user=user) if getattr(user, "is_authenticated", False) else set()


def case_number_is_valid(number) -> bool:
    return isinstance(number, str) and bool(_NUMBER_RE.match(number))


def _filter(
    qs: QuerySet[Case],
    *,
    status: str | None = None,
    service_code: str | None = None,
    updated_since: datetime.datetime | None = None,
    number: str | None = None,
) -> QuerySet[Case]:
    if status:
        qs = qs.filter(status=status) if status in CaseStatus.values else qs.none()
    if service_code:
        qs = qs.filter(service__code=service_code)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    if number:
        number = number.strip()
        qs = qs.filter(number__startswith=number) if len(number) <= 20 else qs.none()
    return qs


# --- agencies ------------------------------------------------------------------------------------


def case_list_for_agency(
    *,
    agency_id: int,
    status: str | None = None,
    service_code: str | None = None,
    updated_since: datetime.datetime | None = None,
    number: str | None = None,
) -> QuerySet[Case]:
    """The cases of one agency's services, newest change first."""
    qs = Case.objects.filter(agency_id=agency_id).select_related(*CASE_LIST_RELATED)
    return _filter(
        qs, status=status, service_code=service_code, updated_since=updated_since, number=number
    ).order_by("-updated_at", "-id")


def case_get_for_agency(*, agency_id: int, number: str) -> Case:
    if not case_number_is_valid(number):
        raise CaseNotFound(number)
    try:
        case = Case.objects.select_related(*CASE_PAGE_RELATED).get(number=number, agency_id=agency_id)
    except Case.DoesNotExist:
        raise CaseNotFound(number) from None
    return _with_people(case, staff=True)


def case_list_for_staff(
    *,
    user,
    status: str | None = None,
    service_code: str | None = None,
    number: str | None = None,
    assigned_to_me: bool = False,
) -> QuerySet[Case]:
    """The cases of the services of every agency the user works for now."""
    agency_ids = staff_agency_ids(user=user)
    qs = Case.objects.filter(agency_id__in=agency_ids).select_related(*CASE_LIST_RELATED)
    if assigned_to_me:
        qs = qs.filter(assigned_to=user)
    return _filter(qs, status=status, service_code=service_code, number=number).order_by("-updated_at", "-id")


def case_list_for_centre(*, centre_ids, user=None) -> QuerySet[Case]:
    """The open cases filed at these one-stop centres (all of them, or those `user` filed there),
    the nearest planned completion first: the centre's work of today."""
    qs = Case.objects.filter(centre_id__in=list(centre_ids), status__in=OPEN_STATUSES)
    if user is not None:
        qs = qs.filter(submitted_by=user)
    return qs.select_related(*CASE_LIST_RELATED).order_by("planned_completion", "id")


def case_get_for_staff(*, user, number: str, for_update: bool = False) -> Case:
    """A case of one of the user's agencies' services; CaseNotFound for others, alike."""
    if not case_number_is_valid(number):
        raise CaseNotFound(number)
    agency_ids = staff_agency_ids(user=user)
    try:
        case = Case.objects.select_related(*CASE_PAGE_RELATED).get(number=number, agency_id__in=agency_ids)
    except Case.DoesNotExist:
        raise CaseNotFound(number) from None
    return _with_people(case, staff=True)


def staff_services_for(*, user):
    """(code, title) of the services of the user's agencies, for filters."""
    return catalogue_selectors.services_of_agencies(agency_ids=staff_agency_ids(user=user))


# --- citizens ------------------------------------------------------------------------------------


def _principal_q(*, user, principal=None, via: str = "") -> Q | None:
    """The condition "the case's client is a principal the user may act for now (on that service)".

    Self and legal representation see every case of the principal; a delegate sees the principal's
    cases of the delegated services only (every delegable service when none is listed). `via` puts
    the condition on a related model's case (`"case__"`): a join, which PostgreSQL plans in a
    fraction of the time of `case__in=<subquery>` once the service and agency are joined too.
    """
    allowed = delegation_selectors.principals_for(user=user)
    if principal is not None:
        if principal not in allowed:
            return None
        allowed = [p for p in allowed if p == principal]
    person_ids = {p.id for p in allowed if p.is_person and p.basis != Basis.DELEGATION}
    organisation_ids = {p.id for p in allowed if not p.is_person and p.basis != Basis.DELEGATION}
    condition = Q(**{f"{via}pk__in": []})
    if person_ids:
        condition |= Q(**{f"{via}client_person_id__in": person_ids})
    if organisation_ids:
        condition |= Q(**{f"{via}client_organisation_id__in": organisation_ids})
    for delegated in (p for p in allowed if p.basis == Basis.DELEGATION):
        client = Q(**{f"{via}client_{'person' if delegated.is_person else 'organisation'}_id": delegated.id})
        scope = (
            Q(**{f"{via}service__delegable": True})
            if delegated.service_codes is None
            else Q(**{f"{via}service__code__in": sorted(delegated.service_codes)})
        )
        condition |= client & scope
    if not allowed:
        return None
    return condition


def case_condition_for_user(*, user, principal=None, via: str = "case__") -> Q | None:
    """The rule of `case_list_for_user` as a condition on a model whose case is at `via` (an
    invoice's: "case__"), to filter by a join rather than by a subquery of case ids; None when the
    user may see no case (of that principal)."""
    return _principal_q(user=user, principal=principal, via=via)


def case_list_for_user(
    *,
    user,
    principal=None,
    status: str | None = None,
    service_code: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Case]:
    """The cases of every principal the user may act for now (or of one `principal` of theirs)."""
    condition = _principal_q(user=user, principal=principal)
    if condition is None:
        return Case.objects.none()
    # what "my cases" shows: the service, nothing else joined (whose case it is, is the principal's)
    qs = Case.objects.filter(condition).select_related("service")
    return _filter(qs, status=status, service_code=service_code, updated_since=updated_since).order_by(
        "-created_at", "-id"
    )


def status_changes_for_client(*, user, principal=None) -> QuerySet[StatusChange]:
    """The client-visible status changes of the cases `case_list_for_user` gives (unordered, for the
    interaction history: one query however many cases)."""
    condition = _principal_q(user=user, principal=principal, via="case__")
    if condition is None:
        return StatusChange.objects.none()
    return StatusChange.objects.filter(condition, visible_to_client=True)


def case_files_for_client(*, user, principal=None) -> QuerySet[CaseAttachment]:
    """The files the client side sees on the cases `case_list_for_user` gives (unordered, for the
    e-account's documents: one query however many cases): those uploaded with an application or an
    answer and paper documents scanned at a centre. Results are not here: they are delivered to the
    e-account (`eaccount.inbox`)."""
    condition = _principal_q(user=user, principal=principal, via="case__")
    if condition is None:
        return CaseAttachment.objects.none()
    return CaseAttachment.objects.filter(
        condition,
        visible_to_client=True,
        kind__in=[CaseFileKind.APPLICATION, CaseFileKind.CLIENT_ANSWER, CaseFileKind.SCANNED],
    )


def case_agency_ids_for_user(*, user, principal=None) -> list[int]:
    """The agencies of the principal's cases that the user may see (one query), for filters."""
    condition = _principal_q(user=user, principal=principal)
    if condition is None:
        return []
    return sorted(set(Case.objects.filter(condition).values_list("agency_id", flat=True)))


def case_visible_to_principals(*, case: Case, principals) -> bool:
    """The rule of `_principal_q` for one case already read: its client is one of the principals,
    and a delegation covers the case's service (`Principal.covers`)."""
    for principal in principals:
        client_id = case.client_person_id if principal.is_person else case.client_organisation_id
        if client_id == principal.id and principal.covers(case.service):
            return True
    return False


def case_get_for_user(*, user, number: str) -> Case:
    """A case of a principal the user may act for now; CaseNotFound for every other case, alike.

    Read by its number (the unique index) and then checked against the user's principals (kept for
    the request and in the cache): one plain query, not the list's OR over every principal."""
    if not case_number_is_valid(number):
        raise CaseNotFound(number)
    principals = delegation_selectors.principals_for(user=user)
    if not principals:
        raise CaseNotFound(number)
    found = (
        Case.objects.select_related(*CASE_PAGE_RELATED)
        .filter(number=number)
        .order_by()[:1]  # no ORDER BY id: the planner takes the number's index, not the primary key's
    )
    case = found[0] if found else None
    if case is None or not case_visible_to_principals(case=case, principals=principals):
        raise CaseNotFound(number)
    return _with_people(case, staff=False)


@dataclass(frozen=True)
class CaseTally:
    """How many cases a list has, by service and status: the service filter's choices, and the
    list's total under any status and service filter, without counting the list itself."""

    services: list = field(default_factory=list)  # the services (code and titles only), by code
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (service code, status): cases

    def total(self, *, status: str | None = None, service_code: str | None = None) -> int:
        return sum(
            n
            for (code, case_status), n in self.counts.items()
            if (not status or case_status == status) and (not service_code or code == service_code)
        )


def case_tally_for_user(*, user, principal=None) -> CaseTally:
    """The tally of the cases `case_list_for_user` gives (one grouped query): "my cases" reads its
    total from it, instead of counting over every case the list joins and sorts."""
    condition = _principal_q(user=user, principal=principal)
    if condition is None:
        return CaseTally()
    rows = (
        Case.objects.filter(condition)
        .values_list("service_id", "service__code", "service__title_lv", "service__title_en", "status")
        .annotate(cases=Count("pk"))
        .order_by()
    )
    service_model = Case._meta.get_field("service").related_model
    services, counts = {}, {}
    for service_id, code, title_lv, title_en, status, cases in rows:
        if code not in services:  # as `.only("code", "title_lv", "title_en")` loads it
            services[code] = service_model.from_db(
                rows.db, ["id", "code", "title_lv", "title_en"], [service_id, code, title_lv, title_en]
            )
        counts[(code, status)] = cases
    return CaseTally(services=[services[code] for code in sorted(services)], counts=counts)


def case_services_for_user(*, user, principal=None):
    """The services the user's (or the principal's) cases are for, for the filter (one query)."""
    condition = _principal_q(user=user, principal=principal)
    if condition is None:
        return []
    return catalogue_selectors.services_by_ids(ids=Case.objects.filter(condition).values("service_id"))


# --- history, files, feedback --------------------------------------------------------------------


def case_open_duplicates(*, case: Case) -> list[Case]:
    """Other open cases of a one-off service about the same subject (a warning for staff: the
    e-service refuses them, other channels may still bring one in). One query, none for others."""
    if not case.service.one_open_case_per_subject or not case.subject_key:
        return []
    return list(
        Case.objects.filter(
            service_id=case.service_id, subject_key=case.subject_key, status__in=OPEN_STATUSES
        )
        .exclude(pk=case.pk)
        .only("number", "status", "created_at")
        .order_by("created_at", "id")[:10]
    )


def case_history(*, case: Case, client_view: bool) -> QuerySet[StatusChange]:
    """The status history, oldest first; the client sees only the rows marked visible to them."""
    qs = StatusChange.objects.filter(case=case).select_related("actor", "actor__person")
    if client_view:
        qs = qs.filter(visible_to_client=True).prefetch_related(
            Prefetch("attachments", queryset=CaseAttachment.objects.filter(visible_to_client=True))
        )
    else:
        qs = qs.prefetch_related("attachments")
    return qs.order_by("seq")


def case_history_and_files(
    *, case: Case, client_view: bool
) -> tuple[list[StatusChange], list[CaseAttachment]]:
    """For a case page: the history (oldest first), each entry with its `files`, and every file of
    the case the viewer may see, in two queries (the files are read once, for both)."""
    history = StatusChange.objects.filter(case=case).select_related("actor", "actor__person")
    if client_view:
        history = history.filter(visible_to_client=True)
    history = list(history.order_by("seq"))
    files = list(case_attachments(case=case, client_view=client_view))
    by_change: dict[int, list[CaseAttachment]] = {}
    for file in files:
        if file.status_change_id is not None:
            by_change.setdefault(file.status_change_id, []).append(file)
    for change in history:
        change.files = by_change.get(change.pk, [])
    return history, files


def case_attachments(*, case: Case, client_view: bool) -> QuerySet[CaseAttachment]:
    qs = CaseAttachment.objects.filter(case=case)
    if client_view:
        qs = qs.filter(visible_to_client=True)
    return qs.order_by("created_at", "id")


def case_attachment_get(*, case: Case, attachment_id, client_view: bool) -> CaseAttachment:
    try:
        return case_attachments(case=case, client_view=client_view).get(pk=int(attachment_id))
    except (CaseAttachment.DoesNotExist, TypeError, ValueError):
        raise CaseNotFound(case.number) from None


def case_feedback(*, case: Case) -> Feedback | None:
    return Feedback.objects.filter(case=case).first()
