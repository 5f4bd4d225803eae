"""Escalations (issue 17 item 7): the beat job that raises late cases and unresolved consultations to
their supervisors, and a supervisor's reassignment of one.

**Raising is set-based.** One `INSERT … SELECT … ON CONFLICT DO NOTHING` per reason turns the
registry's selection (`cases_late`, `consultations_unresolved`) into escalations, without a row
coming to Python; the unique indexes (a case once per deadline, a consultation once) make a second
run, or two runs at once, add nothing. (No `NOT EXISTS` on the escalations beside it: a plan that
scans the table being inserted into for every row, as one made while it is small would, grows with
the square of the rows.) A case whose planned date moved on (a pause) and passes again is escalated again, for the new
deadline. Every row of one run has the run's `created_at`: that is how the run finds its own new
rows, for their audit events (one `INSERT … SELECT` each, `audit.record_select`) and the notices.

**One notice per supervisor per run**, whatever the count: the admins now of the escalations' centres
(centre_admin) and agencies (agency_admin), with the dedupe key of the run's first new escalation.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject
from django.urls import reverse
from django.utils import timezone

import audit.services as audit
from eaccount.selectors import agency_ids_for_user, centre_ids_for_user
from kernel.actors import Actor
from notifications.services import notify
from requests_registry.selectors import cases_late, consultations_unresolved
from requests_registry.services import case_assign

from ..constants import EscalationReason, WorkplaceAction
from ..exceptions import EscalationAssigneeInvalid, EscalationClosed, EscalationNotFound
from ..models import Escalation
from ..rules import escalations as rules
from ..selectors.escalations import supervision_of, supervisors_of

TOPIC = "workplace_escalation"

_case_field = Escalation._meta.get_field("case")
_consultation_field = Escalation._meta.get_field("consultation")
CASE_TYPE = _case_field.related_model._meta.label_lower
CONSULTATION_TYPE = _consultation_field.related_model._meta.label_lower
PERSON_TYPE = _case_field.related_model._meta.get_field("client_person").related_model._meta.label_lower
ORGANISATION_TYPE = _case_field.related_model._meta.get_field(
    "client_organisation"
).related_model._meta.label_lower

# the escalation's columns an INSERT … SELECT fills, and the name each has in the selection
_COLUMNS = {
    "reason": "esc_reason",
    "case_id": "esc_case",
    "consultation_id": "esc_consultation",
    "deadline": "esc_deadline",
    "agency_id": "esc_agency",
    "centre_id": "esc_centre",
}


def _late_rows(today: date) -> QuerySet:
    """The late cases, as the escalation's columns (those escalated for this deadline already are
    skipped by the insert's ON CONFLICT)."""
    return cases_late(today=today).values(
        esc_reason=Value(EscalationReason.LATE.value),
        esc_case=F("pk"),
        esc_deadline=F("planned_completion"),
        esc_agency=F("agency_id"),
        esc_centre=F("centre_id"),
    )


def _unresolved_rows() -> QuerySet:
    """The unresolved consultations; the agency is the one it was recorded for, else
    its service's (those escalated already are skipped by the insert's ON CONFLICT)."""
    return consultations_unresolved().values(
        esc_reason=Value(EscalationReason.UNRESOLVED.value),
        esc_consultation=F("pk"),
        esc_agency=Coalesce(F("agency_id"), F("service__agency_id")),
        esc_centre=F("centre_id"),
    )


def _insert(rows: QuerySet, *, now) -> int:
    """INSERT … SELECT the rows' escalations, created `now`; those escalated already are skipped (the
    unique indexes, whatever runs beside). Returns how many are new."""
    given = list(rows.query.annotation_select)
    columns = [column for column, alias in _COLUMNS.items() if alias in given]
    inner, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    # "WHERE true": SQLite needs it to tell ON CONFLICT from a join's ON
    statement = (
        f"INSERT INTO {quote(Escalation._meta.db_table)} "  # noqa: S608 - identifiers are ours, quoted by connection.ops; values are parameters
        f"(created_at, {', '.join(quote(column) for column in columns)}) "
        f"SELECT %s, {', '.join(f'selected_rows.{quote(_COLUMNS[column])}' for column in columns)} "
        f"FROM ({inner}) AS selected_rows WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [connection.ops.adapt_datetimefield_value(now), *params])
        return max(cursor.rowcount, 0)


def _client_columns(prefix: str) -> dict:
    """The audit event's acting-for columns: the client of the case or consultation (blank for an
    anonymous consultation)."""
    person = Q(**{f"{prefix}__client_person__isnull": False})
    organisation = Q(**{f"{prefix}__client_organisation__isnull": False})
    text = CharField()
    return {
        "acting_for_type": SqlCase(
            When(person, then=Value(PERSON_TYPE)),
            When(organisation, then=Value(ORGANISATION_TYPE)),
            default=Value(""),
            output_field=text,
        ),
        "acting_for_id": Coalesce(
            Cast(Coalesce(f"{prefix}__client_person_id", f"{prefix}__client_organisation_id"), text),
            Value(""),
            output_field=text,
        ),
        "acting_for_label": SqlCase(
            When(
                person,
                then=Concat(
                    F(f"{prefix}__client_person__first_name"),
                    Value(" "),
                    F(f"{prefix}__client_person__last_name"),
                    output_field=text,
                ),
            ),
            When(organisation, then=F(f"{prefix}__client_organisation__name")),
            default=Value(""),
            output_field=text,
        ),
    }


def _audit_new(*, actor: Actor, now) -> None:
    """The audit events of this run's new escalations: one per escalation, its case or consultation
    the target and its client acted for (two INSERT … SELECT)."""
    new = Escalation.objects.filter(created_at=now)
    audit.record_select(
        action=WorkplaceAction.ESCALATION,
        actor=actor,
        rows=new.filter(case__isnull=False).values(
            object_type=Value(CASE_TYPE),
            event_agency_id=F("agency_id"),
            object_id=Cast("case_id", CharField()),
            **_client_columns("case"),
            data=JSONObject(
                escalation=F("pk"),
                reason=F("reason"),
                number=F("case__number"),
                deadline=F("deadline"),
                agency=F("agency_id"),
                centre=F("centre_id"),
            ),
        ),
    )
    audit.record_select(
        action=WorkplaceAction.ESCALATION,
        actor=actor,
        rows=new.filter(consultation__isnull=False).values(
            object_type=Value(CONSULTATION_TYPE),
            event_agency_id=F("agency_id"),
            object_id=Cast("consultation_id", CharField()),
            **_client_columns("consultation"),
            data=JSONObject(
                escalation=F("pk"), reason=F("reason"), agency=F("agency_id"), centre=F("centre_id")
            ),
        ),
    )


def escalations_link() -> str:
    """The supervisors' list, absolute when the portal knows its address (PORTAL_BASE_URL)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("workplace:escalations")


def _tell_supervisors(*, actor: Actor, now, today: date) -> int:
    """One notice to each supervisor of this run's new escalations, with how many are theirs. Returns
    how many supervisors were told."""
    groups = list(
        Escalation.objects.filter(created_at=now)
        .values("centre_id", "agency_id")
        .annotate(count=Count("id"), first=Min("id"))
        .order_by()
    )
    supervisors = supervisors_of(
        centre_ids={g["centre_id"] for g in groups if g["centre_id"]},
        agency_ids={g["agency_id"] for g in groups if g["agency_id"]},
    )
    link = escalations_link()
    told = 0
    for supervisor in supervisors:
        theirs = [
            g
            for g in groups
            if g["centre_id"] in supervisor.centre_ids or g["agency_id"] in supervisor.agency_ids
        ]
        if not theirs:
            continue
        first = min(g["first"] for g in theirs)
        notify(
            party=supervisor.user.person,
            topic=TOPIC,
            context={"count": sum(g["count"] for g in theirs), "link": link},
            dedupe_key=f"escalations:{supervisor.user.pk}:{today.isoformat()}:{first}",
            actor=actor,
            link_url=link,
        )
        told += 1
    return told


def escalations_raise(*, actor: Actor, today: date | None = None) -> int:
    """Escalate every case past its planned completion date (once per case and deadline; not while
    its clock is stopped) and every consultation marked unresolved (once), set-based; record their
    audit events and tell each supervisor once. Returns how many escalations are new. Safe to run
    twice, and beside itself."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        new = _insert(_late_rows(today), now=now) + _insert(_unresolved_rows(), now=now)
        if new:
            _audit_new(actor=actor, now=now)
            _tell_supervisors(actor=actor, now=now, today=today)
    return new


@transaction.atomic
def escalation_reassign(*, actor: Actor, escalation: Escalation, assignee) -> Escalation:
    """A supervisor of the escalation hands its case to `assignee` (staff of the case's agency or a
    specialist of its centre: the case is assigned to them) or names who takes the consultation, and
    the escalation is resolved. EscalationNotFound for anyone but its supervisors, EscalationClosed
    once reassigned, EscalationAssigneeInvalid for another assignee."""
    user = actor.user_or_none
    locked = Escalation.objects.select_for_update().filter(pk=escalation.pk).first()
    me = supervision_of(user=user) if user is not None else None
    if (
        locked is None
        or me is None
        or not rules.escalation_supervised_by(locked, centre_ids=me.centre_ids, agency_ids=me.agency_ids)
    ):
        raise EscalationNotFound()
    if not rules.escalation_reassign_allowed(locked, centre_ids=me.centre_ids, agency_ids=me.agency_ids):
        raise EscalationClosed()
    if (
        assignee is None
        or not getattr(assignee, "is_active", False)
        or not rules.escalation_assignee_allowed(
            locked,
            staff_agency_ids=agency_ids_for_user(user=assignee),
            specialist_centre_ids=centre_ids_for_user(user=assignee),
        )
    ):
        raise EscalationAssigneeInvalid(
            field_errors={"assignee": [str(EscalationAssigneeInvalid.default_message)]}
        )
    item = locked.case if locked.case_id else locked.consultation
    if locked.case_id and item.assigned_to_id != assignee.pk:
        item = case_assign(actor=actor, case=item, assignee=assignee)
    locked.resolved_at = timezone.now()
    locked.resolved_by = user
    locked.reassigned_to = assignee
    locked.save(update_fields=["resolved_at", "resolved_by", "reassigned_to"])
    audit.record(
        action=WorkplaceAction.ESCALATION_REASSIGN,
        actor=actor,
        acting_for=item.client if item is not None else None,
        target=item if item is not None else locked,
        data={
            "escalation": locked.pk,
            "reason": locked.reason,
            "deadline": locked.deadline.isoformat() if locked.deadline else None,
            "to": assignee.pk,
        },
    )
    return locked
