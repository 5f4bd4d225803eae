"""The result of a case: the document staff attach, delivered to the client's e-account; and the
notice of each status change the client may see."""

from __future__ import annotations

from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
from eaccount.inbox import document_deliver, message_by_source_key, message_source_keys_existing
from kernel.actors import Actor
from notifications.services import notify
from notifications.topics import Localised
from outbox import services as outbox

from .. import rules
from ..constants import CaseStatus, Channel
from ..exceptions import InvalidTransition, NotAllowed
from ..models import Case, CaseAttachment, StatusChange
from ._common import RESULT_FILE_FIELD, delete_files, save_attachments, validate_one_file
from .pipeline import transition


def case_attach_result(
    *, actor: Actor, case: Case, file, title: str = "", complete: bool = False, note: str = ""
) -> Case:
    """Staff attach the result document of an open case: kept on the case, delivered to the client's
    e-account, and (with `complete`) the case is completed in the same transaction. A withdrawn,
    rejected or completed case takes no result (rules.case_result_allowed)."""
    upload = validate_one_file(RESULT_FILE_FIELD, file)
    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().select_related("service__agency").get(pk=case.pk)
            if not rules.case_result_allowed(locked):
                raise NotAllowed(
                    _("This case is closed (%(status)s): a result can no longer be attached.")
                    % {"status": CaseStatus(locked.status).label}
                )
            if complete and not rules.case_complete_allowed(locked):
                raise InvalidTransition(current=locked.status, requested=CaseStatus.COMPLETED)
            change = None
            if complete:
                locked, change = transition(case=locked, to=CaseStatus.COMPLETED, actor=actor, note=note)
            saved = save_attachments(
                case=locked,
                files={"result": upload},
                kind=CaseAttachment.Kind.RESULT,
                actor=actor,
                status_change=change,
            )
            attachment = saved[0]
            locked.result_document = attachment.file.name
            locked.result_document_name = attachment.original_name
            locked.save(update_fields=["result_document", "result_document_name", "updated_at"])
            issuer = locked.service.agency.name
            service = locked.service
            given = (title or "").strip()
            doc_title = given or _("Result of case %(number)s") % {"number": locked.number}
            message_key = f"case-result-message:{attachment.pk}"
            notify(
                party=locked.client,
                topic="case_result_ready",
                context={
                    "number": locked.number,
                    "service": Localised(service.title_lv, service.title_en),
                    "title": Localised(given, given)
                    if given
                    else Localised(f"Lietas {locked.number} rezultāts", f"Result of case {locked.number}"),
                },
                dedupe_key=message_key,
                actor=actor,
                service_code=service.code,
                link_url=locked.get_absolute_url(),
                case_number=locked.number,
            )
            attachment.file.open("rb")
            try:
                # the document comes with the notice's e-account message, as its attachment
                document_deliver(
                    to=locked.client,
                    title=doc_title,
                    file=File(attachment.file, name=attachment.original_name),
                    original_name=attachment.original_name,
                    issuer_label=issuer,
                    link_url=locked.get_absolute_url(),
                    source_key=f"case-result:{attachment.pk}",
                    service_code=service.code,
                    message=message_by_source_key(source_key=message_key),
                )
            finally:
                attachment.file.close()
            audit.record(
                action="case.attach_result",
                actor=actor,
                acting_for=locked.client,
                target=locked,
                data={"number": locked.number, "file": attachment.original_name, "completed": complete},
            )
    except BaseException:
        delete_files(saved)
        raise
    case.result_document, case.status = locked.result_document, locked.status
    return locked


def _sender_label(change: StatusChange) -> str:
    """Who made the change, as the client reads it: a person on the e-service (the client, their
    representative or delegate: withdrawing, answering) by name; the agency otherwise."""
    user = change.actor
    person = getattr(user, "person", None) if user is not None else None
    if person is not None and change.channel == Channel.E_SERVICE:
        return person.full_name
    return change.case.service.agency.name


def _notice_topic(to_status: str) -> str:
    return "case_needs_information" if to_status == CaseStatus.NEEDS_INFO else "case_status_changed"


def case_notify_client_send(*, case_id: int, status_change_id: int) -> bool:
    """Tell the client about a visible status change, through notifications.notify: the e-account
    message (keyed by the change), and an e-mail or SMS by the client's choices, each sent by its own
    task after the commit. Returns whether this call recorded the notice (False when it was already).

    Safe to run twice: notify records a dedupe key (the change) once per recipient and channel, and a
    run beside this one waits on that key, then finds it and records nothing. A worker killed before
    the commit leaves nothing and the task runs again; after it, the e-mail's own task (or beat's
    notifications_redeliver_due) sends it, once.
    """
    change = (
        StatusChange.objects.select_related(
            "case__service__agency", "case__client_person", "case__client_organisation", "actor__person"
        )
        .filter(pk=status_change_id, case_id=case_id, visible_to_client=True)
        .first()
    )
    if change is None:
        return False
    case = change.case
    service = case.service
    created = notify(
        party=case.client,
        topic=_notice_topic(change.to_status),
        context={
            "number": case.number,
            "service": Localised(service.title_lv, service.title_en),
            "status": CaseStatus(change.to_status).label,
            "note": change.note,
        },
        dedupe_key=_notice_key(change.pk),
        service_code=service.code,
        sender_label=_sender_label(change),
        link_url=case.get_absolute_url(),
        case_number=case.number,
    )
    return bool(created)


# A notice whose task the broker lost is sent again by beat (case_notifications_resend_missing): Redis
# can lose a task that a worker had just taken when the worker was killed (kombu's Redis transport
# records it as unacknowledged a moment after taking it). After the visibility timeout and a restore
# sweep (45 + 5 s) every task a dead worker held is back, so a change still without its e-account
# message then is one whose task is gone; sending it again is safe (the task runs once in effect).
RESEND_AFTER = timedelta(seconds=50)
RESEND_WITHIN = timedelta(minutes=15)
RESEND_LIMIT = 5000


def _notice_key(change_id: int) -> str:
    return f"case-status:{change_id}"


def case_notifications_missing(*, now=None) -> list[tuple[int, int]]:
    """(case id, change id) of the client-visible status changes made RESEND_AFTER to RESEND_WITHIN
    ago whose notice (the e-account message) does not exist. Two queries."""
    now = now or timezone.now()
    changes = list(
        StatusChange.objects.filter(
            visible_to_client=True, at__gte=now - RESEND_WITHIN, at__lte=now - RESEND_AFTER
        )
        .order_by("at", "id")
        .values_list("case_id", "pk")[:RESEND_LIMIT]
    )
    existing = message_source_keys_existing(keys=[_notice_key(pk) for _case, pk in changes])
    return [(case_id, pk) for case_id, pk in changes if _notice_key(pk) not in existing]


def case_notifications_resend_missing(*, now=None) -> int:
    """Enqueue the notices case_notifications_missing finds, through the outbox; how many."""
    from ..tasks import case_notify_client  # the tasks call these services

    missing = case_notifications_missing(now=now)
    with transaction.atomic():
        for case_id, change_id in missing:
            outbox.enqueue(case_notify_client, case_id, change_id)
    return len(missing)
