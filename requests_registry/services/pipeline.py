"""The status pipeline: the one place a case changes status, and the actions that move it (staff's
status changes and questions, the client's withdrawal and answer, taking a case)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.working_days import working_days_after, working_days_between

from .. import case_events, rules
from ..constants import CaseStatus
from ..exceptions import CaseValidationError, InvalidTransition, NotAllowed
from ..models import Case, CaseAttachment, StatusChange
from ._common import (
    ANSWER_FILE_FIELD,
    delete_files,
    history_add,
    notify_on_commit,
    save_attachments,
    validate_one_file,
)

ANSWER_LIMIT = 4000

# the client's turn: the SLA clock stops while a case waits in these (the planned date moves on by the
# working days it waited when it leaves them)
CLOCK_PAUSED = frozenset({CaseStatus.NEEDS_INFO, CaseStatus.AWAITING_PAYMENT})


def _planned_after_pause(case: Case, *, paused_in: str):
    """The planned completion moved later by the working days the case waited in `paused_in` (from
    the history row that put it there up to today); as it was if it has none or waited none."""
    if case.planned_completion is None:
        return None
    since = (
        StatusChange.objects.filter(case_id=case.pk, to_status=paused_in)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    if since is None:
        return case.planned_completion
    today = timezone.localtime(timezone.now()).date()
    waited = working_days_between(timezone.localtime(since).date(), today)
    return working_days_after(case.planned_completion, waited) if waited else case.planned_completion


def transition(
    *,
    case: Case,
    to: str,
    actor: Actor,
    note: str = "",
    visible_to_client: bool = True,
    audit_action: str = "case.status",
) -> tuple[Case, StatusChange]:
    """Lock, check the pipeline, save, history, audit, notify (on commit). Call inside a transaction."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("service").get(pk=case.pk)
    if to not in CaseStatus.values or not rules.case_status_change_allowed(locked, to=to):
        raise InvalidTransition(current=locked.status, requested=to)
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]
    if to == CaseStatus.COMPLETED:
        locked.completed_at = timezone.now()
        fields.append("completed_at")
    if previous in CLOCK_PAUSED and previous != to:
        planned = _planned_after_pause(locked, paused_in=previous)
        if planned != locked.planned_completion:
            locked.planned_completion = planned
            fields.append("planned_completion")
    locked.save(update_fields=fields)
    change = history_add(
        case=locked,
        from_status=previous,
        to_status=to,
        actor=actor,
        note=note,
        visible_to_client=visible_to_client,
    )
    audit.record(
        action=audit_action,
        actor=actor,
        acting_for=locked.client,
        target=locked,
        reason=actor.label,
        data={
            "number": locked.number,
            "from": previous,
            "to": to,
            "seq": change.seq,
            "channel": actor.channel,
        },
    )
    notify_on_commit(case=locked, change=change)
    case_events.case_status_changed(actor=actor, case=locked, from_status=previous, to_status=to)
    # keep the caller's instance current too
    case.status, case.updated_at, case.completed_at = locked.status, locked.updated_at, locked.completed_at
    case.planned_completion = locked.planned_completion
    return locked, change


@transaction.atomic
def case_change_status(
    *, actor: Actor, case: Case, to: str, note: str = "", visible_to_client: bool = True
) -> Case:
    """Move a case to `to` (InvalidTransition if TRANSITIONS does not allow it from its current status)."""
    locked, _change = transition(
        case=case, to=to, actor=actor, note=note, visible_to_client=visible_to_client
    )
    return locked


@transaction.atomic
def case_payment_received(*, actor: Actor, case: Case) -> bool:
    """The fee of a case waiting for payment was paid: it goes back to where it came from
    (registered when it waited from submission, in progress otherwise). True if it moved; a case
    not waiting for payment (moved on by staff, or told twice) stays as it is."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("service").get(pk=case.pk)
    if locked.status != CaseStatus.AWAITING_PAYMENT:
        return False
    came_from = (
        StatusChange.objects.filter(case_id=locked.pk, to_status=CaseStatus.AWAITING_PAYMENT)
        .order_by("-seq")
        .values_list("from_status", flat=True)
        .first()
    )
    to = CaseStatus.IN_PROGRESS if came_from and came_from != CaseStatus.SUBMITTED else CaseStatus.REGISTERED
    transition(case=locked, to=to, actor=actor, note=_("The fee has been paid."), audit_action="case.paid")
    case.status = locked.status
    return True


@transaction.atomic
def case_withdraw(*, actor: Actor, case: Case, note: str = "") -> Case:
    """The client (or their representative) withdraws the case; only before the work starts."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not rules.case_withdraw_allowed(locked):
        raise NotAllowed(_("This case can no longer be withdrawn: the agency has started working on it."))
    locked, _change = transition(
        case=locked, to=CaseStatus.WITHDRAWN, actor=actor, note=note, audit_action="case.withdraw"
    )
    case.status = locked.status
    return locked


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, assignee) -> Case:
    """Assign an open case to a staff member (`assignee`), e.g. "take" it (assignee = the actor's user)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not rules.case_take_allowed(locked, user=assignee):
        raise NotAllowed(_("This case cannot be taken: it is closed or already yours."))
    previous = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        action="case.assign",
        actor=actor,
        acting_for=locked.client,
        target=locked,
        data={"number": locked.number, "from": previous, "to": getattr(assignee, "pk", None)},
    )
    case.assigned_to = assignee
    return locked


@transaction.atomic
def case_request_info(*, actor: Actor, case: Case, question: str) -> Case:
    """Staff ask the client for more information: → needs_info, the question visible to the client."""
    question = (question or "").strip()
    if not question:
        raise CaseValidationError({"note": [_("Write what information the client should give.")]})
    locked, _change = transition(
        case=case, to=CaseStatus.NEEDS_INFO, actor=actor, note=question, audit_action="case.request_info"
    )
    return locked


def case_answer_info(*, actor: Actor, case: Case, answer: str, file=None) -> Case:
    """The client answers an information request: the answer (and a file) is kept; → in_progress."""
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not answer:
        errors["answer"] = [_("Write your answer.")]
    elif len(answer) > ANSWER_LIMIT:
        errors["answer"] = [_("Enter at most %(limit)s characters.") % {"limit": ANSWER_LIMIT}]
    upload = None
    try:
        upload = validate_one_file(ANSWER_FILE_FIELD, file) if file else None
    except CaseValidationError as error:
        errors.update(error.errors)
    if errors:
        raise CaseValidationError(errors)
    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if not rules.case_answer_allowed(locked):
                raise InvalidTransition(current=locked.status, requested=CaseStatus.IN_PROGRESS)
            locked, change = transition(
                case=locked,
                to=CaseStatus.IN_PROGRESS,
                actor=actor,
                note=answer,
                audit_action="case.answer_info",
            )
            if upload is not None:
                saved = save_attachments(
                    case=locked,
                    files={"attachment": upload},
                    kind=CaseAttachment.Kind.CLIENT_ANSWER,
                    actor=actor,
                    status_change=change,
                )
    except BaseException:
        delete_files(saved)
        raise
    case.status = locked.status
    return locked
