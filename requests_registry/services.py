"""Writes of the request registry: submitting cases, moving them through the status pipeline,
answers, results, consultations and feedback. Every write is one transaction with its history
row and its audit event; notifications are enqueued on commit.

Planned completion = the day of submission + the service's processing time in *calendar* days
(public holidays and weekends are not skipped).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import deque
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
from catalogue.constants import Audience, ServiceState
from catalogue.eforms import eform_validate
from catalogue.selectors import service_version_current
from delegation import selectors as delegation_selectors
from eaccount.selectors import centre_ids_for_user

from .constants import (
    CASE_SEQUENCE_DIGITS,
    CLIENT_WITHDRAWABLE,
    EFORM_CHANNELS,
    FEEDBACK_COMMENT_LIMIT,
    FEEDBACK_MAX,
    FEEDBACK_MIN,
    TRANSITIONS,
    Basis,
    CaseStatus,
    Channel,
)
from .exceptions import CaseValidationError, InvalidTransition, NotAllowed, ServiceNotAvailable
from .models import Case, CaseAttachment, CaseSequence, Consultation, Feedback, StatusChange

# Files a client may add to an answer, and the result documents staff attach.
ANSWER_FILE_FIELD = {
    "name": "attachment",
    "type": "file",
    "label_lv": "Pielikums",
    "allowed_extensions": [".pdf", ".jpg", ".jpeg", ".png"],
    "max_size_kb": 5120,
}
RESULT_FILE_FIELD = {
    "name": "document",
    "type": "file",
    "label_lv": "Dokuments",
    "required": True,
    "allowed_extensions": [".pdf", ".asice", ".edoc"],
    "max_size_kb": 10240,
}


# --- helpers -------------------------------------------------------------------------------------


def _is_organisation(client) -> bool:
    return client is not None and client._meta.label_lower == "eaccount.organisation"


def _is_person(client) -> bool:
    return client is not None and client._meta.label_lower == "eaccount.person"


def _client_fields(client) -> dict:
    if _is_person(client):
        return {"client_person": client, "client_organisation": None}
    if _is_organisation(client):
        return {"client_person": None, "client_organisation": client}
    raise ServiceNotAvailable(_("A case is filed for a person or an organisation."))


def service_serves_client(*, service, client) -> bool:
    """Person services are filed for persons, organisation services for organisations."""
    return (service.audience == Audience.ORGANISATION) == _is_organisation(client)


def _check_audience(*, service, client) -> None:
    wanted_org = service.audience == Audience.ORGANISATION
    if not service_serves_client(service=service, client=client):
        raise ServiceNotAvailable(
            _("This service is for organisations.")
            if wanted_org
            else _("This service is for private persons.")
        )


def case_number_next(*, service) -> str:
    """The next case number of `service`, "<code>-<7 digits>"; call inside a transaction.

    The per-service counter row is created if missing (INSERT … ON CONFLICT DO NOTHING) and then
    locked with SELECT … FOR UPDATE, so concurrent submissions for one service queue on that row
    and each takes its own number (on SQLite the database write lock serialises them).
    """
    CaseSequence.objects.bulk_create([CaseSequence(service=service, last_value=0)], ignore_conflicts=True)
    sequence = CaseSequence.objects.select_for_update().get(service=service)
    sequence.last_value += 1
    if sequence.last_value >= 10**CASE_SEQUENCE_DIGITS:
        raise ServiceNotAvailable(_("The case numbers of this service are exhausted."))
    sequence.save(update_fields=["last_value"])
    return f"{service.code}-{sequence.last_value:0{CASE_SEQUENCE_DIGITS}d}"


def _history_add(
    *,
    case: Case,
    from_status: str,
    to_status: str,
    actor=None,
    system_label: str = "",
    channel: str = "",
    note: str = "",
    visible_to_client: bool = True,
    seq: int | None = None,
) -> StatusChange:
    if seq is None:
        last = StatusChange.objects.filter(case=case).order_by("-seq").values_list("seq", flat=True).first()
        seq = (last or 0) + 1
    return StatusChange.objects.create(
        case=case,
        seq=seq,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        system_label=system_label[:120],
        channel=channel,
        note=note,
        visible_to_client=visible_to_client,
    )


def _notify_on_commit(*, case: Case, change: StatusChange) -> None:
    if not change.visible_to_client:
        return
    from .tasks import case_notify_client

    transaction.on_commit(partial(case_notify_client.delay, case.pk, change.pk))


def _save_attachments(
    *, case: Case, files: Mapping[str, Any], kind: str, uploaded_by=None, status_change=None
) -> list[CaseAttachment]:
    saved = []
    for field_name, upload in files.items():
        original = (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
        attachment = CaseAttachment(
            case=case,
            kind=kind,
            field_name=field_name,
            original_name=original,
            size=getattr(upload, "size", 0) or 0,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
            status_change=status_change,
        )
        attachment.file.save(original, upload, save=False)  # the name comes from case_file_upload_to
        attachment.save()
        saved.append(attachment)
    return saved


def _delete_files(attachments: list[CaseAttachment]) -> None:
    for attachment in attachments:
        with contextlib.suppress(OSError):  # best effort
            attachment.file.delete(save=False)


def _validate_one_file(field: dict, upload) -> Any:
    result = eform_validate(definition=[field], data={}, files={field["name"]: upload} if upload else {})
    if not result.is_valid:
        raise CaseValidationError(result.errors)
    return result.files.get(field["name"])


# --- submission ----------------------------------------------------------------------------------


def case_validate_form(*, service, data: Mapping[str, Any], files: Mapping[str, Any] | None = None):
    """Check an e-form submission against the service's current published e-form; nothing is stored.

    Returns (service_version, EFormResult).
    """
    try:
        version = service_version_current(service=service)
    except ObjectDoesNotExist:  # the service was never published
        raise ServiceNotAvailable() from None
    result = eform_validate(definition=version.eform, data=data or {}, files=files or {})
    return version, result


def case_submit(
    *,
    service,
    client,
    actor,
    basis: str,
    channel: str,
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
    system_label: str = "",
    external_reference: str = "",
    note: str = "",
    centre=None,
    authorisation_reference: str = "",
    request=None,
) -> Case:
    """File a case for `client` (Person or Organisation) by `actor` (a user; None for a system).

    On the e-service and one-stop-centre channels the data is validated against the service's
    current e-form (CaseValidationError with field errors, nothing stored). A user filing for
    themselves, a represented child or company must have that basis now (delegation.selectors).
    One transaction: number, case, files, first history row, audit event.
    """
    if service.state != ServiceState.PUBLISHED:
        raise ServiceNotAvailable()
    _check_audience(service=service, client=client)
    if basis in (Basis.SELF, Basis.LEGAL_REPRESENTATION, Basis.DELEGATION):
        actual = delegation_selectors.basis_for(user=actor, client=client, service=service)
        if actual is None or actual != basis:
            raise NotAllowed(_("You may not file a case for this client."))
    if basis == Basis.AUTHORISED_FILING:
        if not service.authorised_filing_allowed:
            raise ServiceNotAvailable(_("This service may not be filed under an authorisation."))
        if centre is None or centre.pk not in centre_ids_for_user(user=actor):
            raise NotAllowed(_("An authorised e-service is filed by a specialist of the centre."))
        if not (authorisation_reference or "").strip():
            raise CaseValidationError(
                {"authorisation_reference": [_("Enter the written authorisation's reference.")]}
            )

    version = None
    if channel in EFORM_CHANNELS:
        if not service.eform:
            raise ServiceNotAvailable(_("This service is not available as an e-service."))
        version, result = case_validate_form(service=service, data=data, files=files)
        if not result.is_valid:
            raise CaseValidationError(result.errors)
        cleaned, accepted_files = result.cleaned, result.files
    else:
        cleaned, accepted_files = dict(data or {}), dict(files or {})
        try:
            version = service_version_current(service=service)
        except ObjectDoesNotExist:
            version = None

    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=case_number_next(service=service),
                service=service,
                service_version=version,
                **_client_fields(client),
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                basis=basis,
                channel=channel,
                centre=centre,
                authorisation_reference=authorisation_reference,
                status=CaseStatus.SUBMITTED,
                data=cleaned,
                planned_completion=timezone.localdate() + datetime.timedelta(days=service.processing_days),
                external_reference=external_reference,
            )
            saved = _save_attachments(
                case=case, files=accepted_files, kind=CaseAttachment.Kind.APPLICATION, uploaded_by=actor
            )
            change = _history_add(
                case=case,
                from_status="",
                to_status=CaseStatus.SUBMITTED,
                actor=actor,
                system_label=system_label,
                channel=channel,
                note=note,
                seq=1,
            )
            audit.record(
                action="case.submit",
                actor=actor,
                acting_for=client,
                target=case,
                request=request,
                reason=system_label,
                data={
                    "number": case.number,
                    "service": service.code,
                    "channel": channel,
                    "basis": basis,
                    "files": len(saved),
                },
            )
            _notify_on_commit(case=case, change=change)
    except BaseException:
        _delete_files(saved)
        raise
    return case


def _status_path(start: str, goal: str) -> list[str]:
    """The shortest path of statuses from `start` to `goal` through TRANSITIONS (excluding start)."""
    if start == goal:
        return []
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in sorted(TRANSITIONS.get(current, ())):
            if nxt in previous or nxt == start:
                continue
            previous[nxt] = current
            if nxt == goal:
                path = [goal]
                while previous[path[-1]] != start:
                    path.append(previous[path[-1]])
                return list(reversed(path))
            queue.append(nxt)
    raise InvalidTransition(current=start, requested=goal)


def case_register_received(
    *,
    service,
    client,
    channel: str,
    system_label: str,
    external_reference: str = "",
    data: Mapping[str, Any] | None = None,
    status: str = CaseStatus.REGISTERED,
    note: str = "",
    actor=None,
) -> Case:
    """Register a case an agency received on another channel, so the registry is complete.

    No e-form validation. History: "submitted", then one row per step of the shortest legal path
    to `status` (so registered gives two rows). Unknown status → InvalidTransition.
    """
    if status not in CaseStatus.values:
        raise InvalidTransition(current=CaseStatus.SUBMITTED, requested=status)
    path = _status_path(CaseStatus.SUBMITTED, status)
    if service.state != ServiceState.PUBLISHED:
        raise ServiceNotAvailable()
    _check_audience(service=service, client=client)
    try:
        version = service_version_current(service=service)
    except ObjectDoesNotExist:
        version = None
    with transaction.atomic():
        now = timezone.now()
        case = Case.objects.create(
            number=case_number_next(service=service),
            service=service,
            service_version=version,
            **_client_fields(client),
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            basis=Basis.AGENCY_REGISTRATION,
            channel=channel,
            status=status,
            data=dict(data or {}),
            planned_completion=timezone.localdate() + datetime.timedelta(days=service.processing_days),
            external_reference=external_reference,
            completed_at=now if status == CaseStatus.COMPLETED else None,
        )
        change = _history_add(
            case=case,
            from_status="",
            to_status=CaseStatus.SUBMITTED,
            actor=actor,
            system_label=system_label,
            channel=channel,
            note=note if not path else "",
            seq=1,
        )
        previous = CaseStatus.SUBMITTED
        for index, step in enumerate(path, start=2):
            change = _history_add(
                case=case,
                from_status=previous,
                to_status=step,
                actor=actor,
                system_label=system_label,
                channel=channel,
                note=note if step == status else "",
                seq=index,
            )
            previous = step
        audit.record(
            action="case.register_received",
            actor=actor,
            acting_for=client,
            target=case,
            reason=system_label,
            data={"number": case.number, "service": service.code, "channel": channel, "status": status},
        )
        _notify_on_commit(case=case, change=change)
    return case


# --- the status pipeline -------------------------------------------------------------------------


def _transition(
    *,
    case: Case,
    to: str,
    actor=None,
    system_label: str = "",
    channel: str = "",
    note: str = "",
    visible_to_client: bool = True,
    allowed_from: frozenset[str] | None = None,
    request=None,
    audit_action: str = "case.status",
    acting_for=None,
) -> tuple[Case, StatusChange]:
    """The one place a case changes status: lock, check, save, history, audit, notify (on commit)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to not in CaseStatus.values or to not in TRANSITIONS.get(locked.status, ()):
        raise InvalidTransition(current=locked.status, requested=to)
    if allowed_from is not None and locked.status not in allowed_from:
        raise InvalidTransition(current=locked.status, requested=to)
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]
    if to == CaseStatus.COMPLETED:
        locked.completed_at = timezone.now()
        fields.append("completed_at")
    locked.save(update_fields=fields)
    change = _history_add(
        case=locked,
        from_status=previous,
        to_status=to,
        actor=actor,
        system_label=system_label,
        channel=channel,
        note=note,
        visible_to_client=visible_to_client,
    )
    audit.record(
        action=audit_action,
        actor=actor,
        acting_for=acting_for if acting_for is not None else locked.client,
        target=locked,
        request=request,
        reason=system_label,
        data={"number": locked.number, "from": previous, "to": to, "seq": change.seq, "channel": channel},
    )
    _notify_on_commit(case=locked, change=change)
    # keep the caller's instance current too
    case.status, case.updated_at, case.completed_at = locked.status, locked.updated_at, locked.completed_at
    return locked, change


@transaction.atomic
def case_change_status(
    *,
    case: Case,
    to: str,
    actor=None,
    system_label: str = "",
    channel: str = "",
    note: str = "",
    visible_to_client: bool = True,
    request=None,
) -> Case:
    """Move a case to `to` (InvalidTransition if TRANSITIONS does not allow it from its current status)."""
    locked, _change = _transition(
        case=case,
        to=to,
        actor=actor,
        system_label=system_label,
        channel=channel,
        note=note,
        visible_to_client=visible_to_client,
        request=request,
    )
    return locked


@transaction.atomic
def case_withdraw(*, case: Case, user, note: str = "", request=None) -> Case:
    """The client (or their representative) withdraws the case; only before the work starts."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in CLIENT_WITHDRAWABLE:
        raise NotAllowed(_("This case can no longer be withdrawn: the agency has started working on it."))
    locked, _change = _transition(
        case=locked,
        to=CaseStatus.WITHDRAWN,
        actor=user,
        channel=Channel.E_SERVICE,
        note=note,
        allowed_from=CLIENT_WITHDRAWABLE,
        request=request,
        audit_action="case.withdraw",
    )
    case.status = locked.status
    return locked


@transaction.atomic
def case_assign(*, case: Case, assignee, actor, request=None) -> Case:
    """Assign the case to a staff member (`assignee`), e.g. "take" it (assignee = actor)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    previous = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        action="case.assign",
        actor=actor,
        acting_for=locked.client,
        target=locked,
        request=request,
        data={"number": locked.number, "from": previous, "to": getattr(assignee, "pk", None)},
    )
    case.assigned_to = assignee
    return locked


@transaction.atomic
def case_request_info(*, case: Case, actor, question: str, request=None) -> Case:
    """Staff ask the client for more information: → needs_info, the question visible to the client."""
    question = (question or "").strip()
    if not question:
        raise CaseValidationError({"note": [_("Write what information the client should give.")]})
    locked, _change = _transition(
        case=case,
        to=CaseStatus.NEEDS_INFO,
        actor=actor,
        channel=Channel.AGENCY,
        note=question,
        request=request,
        audit_action="case.request_info",
    )
    return locked


def case_answer_info(*, case: Case, user, answer: str, file=None, request=None) -> Case:
    """The client answers an information request: the answer (and a file) is kept; → in_progress."""
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not answer:
        errors["answer"] = [_("Write your answer.")]
    elif len(answer) > 4000:
        errors["answer"] = [_("Enter at most %(limit)s characters.") % {"limit": 4000}]
    upload = None
    try:
        upload = _validate_one_file(ANSWER_FILE_FIELD, file) if file else None
    except CaseValidationError as error:
        errors.update(error.errors)
    if errors:
        raise CaseValidationError(errors)
    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            locked, change = _transition(
                case=case,
                to=CaseStatus.IN_PROGRESS,
                actor=user,
                channel=Channel.E_SERVICE,
                note=answer,
                allowed_from=frozenset({CaseStatus.NEEDS_INFO}),
                request=request,
                audit_action="case.answer_info",
            )
            if upload is not None:
                saved = _save_attachments(
                    case=locked,
                    files={"attachment": upload},
                    kind=CaseAttachment.Kind.CLIENT_ANSWER,
                    uploaded_by=user,
                    status_change=change,
                )
    except BaseException:
        _delete_files(saved)
        raise
    return locked


def case_attach_result(
    *, case: Case, actor, file, title: str = "", complete: bool = False, note: str = "", request=None
) -> Case:
    """Staff attach the result document: kept on the case, delivered to the client's e-account,
    and (with `complete`) the case is completed in the same transaction."""
    upload = _validate_one_file(RESULT_FILE_FIELD, file)
    from eaccount.inbox import document_deliver, message_send

    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().select_related("service__agency").get(pk=case.pk)
            if complete and CaseStatus.COMPLETED not in TRANSITIONS.get(locked.status, ()):
                raise InvalidTransition(current=locked.status, requested=CaseStatus.COMPLETED)
            change = None
            if complete:
                locked, change = _transition(
                    case=locked,
                    to=CaseStatus.COMPLETED,
                    actor=actor,
                    channel=Channel.AGENCY,
                    note=note,
                    request=request,
                )
            saved = _save_attachments(
                case=locked,
                files={"result": upload},
                kind=CaseAttachment.Kind.RESULT,
                uploaded_by=actor,
                status_change=change,
            )
            attachment = saved[0]
            locked.result_document = attachment.file.name
            locked.result_document_name = attachment.original_name
            locked.save(update_fields=["result_document", "result_document_name", "updated_at"])
            issuer = locked.service.agency.name
            doc_title = (title or "").strip() or _("Result of case %(number)s") % {"number": locked.number}
            attachment.file.open("rb")
            try:
                document_deliver(
                    to=locked.client,
                    title=doc_title,
                    file=File(attachment.file, name=attachment.original_name),
                    original_name=attachment.original_name,
                    issuer_label=issuer,
                    link_url=locked.get_absolute_url(),
                    source_key=f"case-result:{attachment.pk}",
                )
            finally:
                attachment.file.close()
            message_send(
                to=locked.client,
                sender_label=issuer,
                subject=_("The result of your case %(number)s is ready") % {"number": locked.number},
                body=doc_title,
                link_url=locked.get_absolute_url(),
                source_key=f"case-result-message:{attachment.pk}",
            )
            audit.record(
                action="case.attach_result",
                actor=actor,
                acting_for=locked.client,
                target=locked,
                request=request,
                data={"number": locked.number, "file": attachment.original_name, "completed": complete},
            )
    except BaseException:
        _delete_files(saved)
        raise
    case.result_document, case.status = locked.result_document, locked.status
    return locked


def case_record_staff_look(*, case: Case, actor, request=None, what: str = "case") -> None:
    """An official looked at a client's case (or one of its files): kept in the audit trail."""
    audit.record(
        action="case.view" if what == "case" else "case.file_view",
        actor=actor,
        acting_for=case.client,
        target=case,
        request=request,
        data={"number": case.number, "what": what},
    )


# --- notifications -------------------------------------------------------------------------------


def case_notify_client_send(*, case_id: int, status_change_id: int) -> bool:
    """E-mail the client person about a visible status change (and leave a message in the e-account).

    Safe to run twice: the e-account message is keyed by the change, and the e-mail is sent only
    when that message is new. Returns whether an e-mail was sent.
    """
    from django.core.mail import send_mail

    from eaccount.inbox import message_send_once

    change = (
        StatusChange.objects.select_related(
            "case__service__agency", "case__client_person", "case__client_organisation"
        )
        .filter(pk=status_change_id, case_id=case_id, visible_to_client=True)
        .first()
    )
    if change is None:
        return False
    case = change.case
    key = f"case-status:{change.pk}"
    subject = _("Case %(number)s: %(status)s") % {
        "number": case.number,
        "status": CaseStatus(change.to_status).label,
    }
    body_lines = [
        _("Service: %(service)s") % {"service": case.service.title},
        _("Status: %(status)s") % {"status": CaseStatus(change.to_status).label},
    ]
    if change.note:
        body_lines.append(change.note)
    body = "\n".join(body_lines)
    first_time = message_send_once(
        to=case.client,
        sender_label=case.service.agency.name,
        subject=subject,
        body=body,
        link_url=case.get_absolute_url(),
        source_key=key,
    )
    if not first_time:
        return False
    email = case.client_person.email if case.client_person_id else case.client_organisation.email
    if not email:
        return False
    send_mail(subject=str(subject), message=body, from_email=None, recipient_list=[email])
    return True


# --- consultations and feedback ------------------------------------------------------------------


def consultation_register(
    *,
    consulted_by,
    channel: str,
    topic: str,
    duration_minutes: int,
    outcome: str,
    service=None,
    client=None,
    anonymous_phone: str = "",
    note: str = "",
    agency=None,
    centre=None,
    case: Case | None = None,
    request=None,
) -> Consultation:
    """Record an act of informing; the client is a Person, an Organisation or nobody (anonymous)."""
    errors: dict[str, list[str]] = {}
    if not (topic or "").strip():
        errors["topic"] = [_("Write the topic.")]
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = [_("Enter the duration in minutes, from 1 to 600.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Select a channel.")]
    if client is not None and anonymous_phone:
        errors["anonymous_phone"] = [_("A phone number is recorded only for an anonymous client.")]
    if errors:
        raise CaseValidationError(errors)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            service=service,
            channel=channel,
            client_person=client if _is_person(client) else None,
            client_organisation=client if _is_organisation(client) else None,
            anonymous_phone=anonymous_phone.strip(),
            topic=topic.strip()[:300],
            duration_minutes=duration_minutes,
            consulted_by=consulted_by,
            agency=agency,
            centre=centre,
            outcome=outcome,
            note=note,
            case=case,
        )
        audit.record(
            action="consultation.register",
            actor=consulted_by,
            acting_for=client,
            target=consultation,
            request=request,
            data={"service": getattr(service, "code", None), "channel": channel, "outcome": outcome},
        )
    return consultation


def _feedback_give(
    *, target: Case | Consultation, user, rating: Any, comment: str, request, already_given: str
) -> Feedback:
    """One Feedback row for a case or a consultation, with its audit event; a second one is refused."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not FEEDBACK_MIN <= value <= FEEDBACK_MAX:
        raise CaseValidationError({"rating": [_("Choose a rating from 1 to 5.")]})
    if len(comment or "") > FEEDBACK_COMMENT_LIMIT:
        raise CaseValidationError(
            {"comment": [_("Enter at most %(limit)s characters.") % {"limit": FEEDBACK_COMMENT_LIMIT}]}
        )
    on = {"case": target} if isinstance(target, Case) else {"consultation": target}
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                **on, rating=value, comment=(comment or "").strip(), given_by=user
            )
            audit.record(
                action="feedback.give",
                actor=user,
                acting_for=target.client,
                target=target,
                request=request,
                data={"rating": value},
            )
    except IntegrityError:
        raise NotAllowed(already_given) from None
    return feedback


def feedback_give_for_case(*, case: Case, user, rating: Any, comment: str = "", request=None) -> Feedback:
    """The client rates a completed case, once."""
    if case.status != CaseStatus.COMPLETED:
        raise NotAllowed(_("Feedback can be given on a completed case."))
    return _feedback_give(
        target=case,
        user=user,
        rating=rating,
        comment=comment,
        request=request,
        already_given=_("You have already given feedback on this case."),
    )


def feedback_give_for_consultation(
    *, consultation: Consultation, user=None, rating: Any, comment: str = "", request=None
) -> Feedback:
    """The client (or whoever represents them) rates a consultation, once."""
    return _feedback_give(
        target=consultation,
        user=user,
        rating=rating,
        comment=comment,
        request=request,
        already_given=_("Feedback on this consultation has already been given."),
    )
