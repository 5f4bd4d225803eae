"""Filing cases: the e-service and the one-stop centre (validated against the e-form), and cases an
agency received on another channel (registered as they are).

Planned completion = the service's processing time in Latvian *working* days after the day of
submission (weekends and public holidays skipped; `kernel.working_days`); 0 days: the day itself. The
clock stops while the case waits for the client (`pipeline.transition` moves the date on).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit.services as audit
from catalogue.constants import Audience
from catalogue.eforms import eform_case_subject, eform_validate
from catalogue.selectors import service_version_current
from delegation import selectors as delegation_selectors
from eaccount.selectors import centre_ids_for_user
from kernel.actors import Actor
from kernel.constants import EFORM_CHANNELS, PERSONAL_BASES, Basis
from kernel.working_days import working_days_from

from .. import case_events, rules
from ..constants import OPEN_STATUSES, TRANSITIONS, CaseStatus
from ..exceptions import (
    ActorNotAllowed,
    CaseValidationError,
    InvalidTransition,
    OpenCaseExists,
    ServiceNotAvailable,
)
from ..models import Case, CaseAttachment
from ._common import (
    case_number_next,
    client_fields,
    client_subject_key,
    delete_files,
    history_add,
    notify_on_commit,
    save_attachments,
)

AUTHORISED_FILING_REFUSALS = {
    "service": gettext_lazy("This service may not be filed under an authorisation."),
    "client_organisation": gettext_lazy("An authorised e-service is filed only for a natural person."),
    "client_has_eid": gettext_lazy(
        "This client has an eID means: an authorised e-service is only for a person who has none."
    ),
    "not_centre_specialist": gettext_lazy("An authorised e-service is filed by a specialist of the centre."),
    "assurance": gettext_lazy(
        "An authorised e-service needs a session of the high level of assurance (eID card)."
    ),
}


def _check_client(*, service, client) -> None:
    if not rules.service_serves_client(service=service, client=client):
        if service.audience == Audience.ORGANISATION:
            raise ServiceNotAvailable(_("This service is for organisations."))
        if getattr(client, "is_minor", False):
            raise ServiceNotAvailable(_("A minor cannot be the client of this service."))
        raise ServiceNotAvailable(_("This service is for private persons."))


def _check_filer(*, actor: Actor, service, client, authorisation_reference: str) -> None:
    """The actor must have the basis they claim for this client and service, now."""
    if actor.basis in PERSONAL_BASES:
        actual = delegation_selectors.basis_for(user=actor.user_or_none, client=client, service=service)
        if actual is None or actual != actor.basis:
            raise ActorNotAllowed(_("You may not file a case for this client."))
    elif actor.basis == Basis.AUTHORISED_FILING:
        user = actor.user_or_none
        refusal = rules.authorised_filing_refusal(
            actor=actor,
            service=service,
            client=client,
            centre_ids=centre_ids_for_user(user=user) if user is not None else set(),
        )
        if refusal is not None:
            raise ActorNotAllowed(AUTHORISED_FILING_REFUSALS[refusal], code=f"authorised-filing-{refusal}")
        if not (authorisation_reference or "").strip():
            raise CaseValidationError(
                {"authorisation_reference": [_("Enter the written authorisation's reference.")]}
            )
    else:
        raise ActorNotAllowed(_("You may not file a case for this client."))


def _version_or_none(service):
    try:
        return service_version_current(service=service)
    except ObjectDoesNotExist:
        return None


def case_open_for_subject(*, service, subject_key: str) -> Case | None:
    """The open case of `service` about `subject_key`, if any (call under the service's lock)."""
    if not subject_key:
        return None
    return (
        Case.objects.filter(service=service, subject_key=subject_key, status__in=OPEN_STATUSES)
        .order_by("created_at", "id")
        .first()
    )


def _refuse_second_open_case(*, actor: Actor, service, subject_key: str) -> None:
    if not service.one_open_case_per_subject:
        return
    existing = case_open_for_subject(service=service, subject_key=subject_key)
    if existing is None:
        return
    visible = (
        actor.user_or_none is not None
        and delegation_selectors.basis_for(user=actor.user_or_none, client=existing.client, service=service)
        is not None
    )
    raise OpenCaseExists(
        _("There is already an open case of this service for this person: a second one cannot be filed."),
        open_case_number=existing.number,
        visible=visible,
    )


def case_validate_form(*, service, data: Mapping[str, Any], files: Mapping[str, Any] | None = None):
    """Check an e-form submission against the service's current published e-form; nothing is stored.

    Returns (service_version, EFormResult).
    """
    version = _version_or_none(service)
    if version is None:  # the service was never published
        raise ServiceNotAvailable()
    result = eform_validate(definition=version.eform, data=data or {}, files=files or {})
    return version, result


def case_submit(
    *,
    actor: Actor,
    service,
    client,
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
    external_reference: str = "",
    note: str = "",
    authorisation_reference: str = "",
) -> Case:
    """File a case for `client` (a Person or an Organisation) by `actor`, on the actor's channel and
    basis (and at the actor's one-stop centre, if any).

    On the e-service and one-stop-centre channels the data is validated against the service's
    current e-form (CaseValidationError with field errors, nothing stored). The actor must have the
    basis now (self, representation, delegation covering the service — delegation.selectors — or an
    authorised filing within Reg. 401). A one-off service refuses a second open case for the same
    subject. One transaction: number, case, files, first history row, audit event.
    """
    if not rules.service_accepts_cases(service=service):
        raise ServiceNotAvailable()
    _check_client(service=service, client=client)
    _check_filer(actor=actor, service=service, client=client, authorisation_reference=authorisation_reference)

    if actor.channel in EFORM_CHANNELS:
        if not service.eform:
            raise ServiceNotAvailable(_("This service is not available as an e-service."))
        version, result = case_validate_form(service=service, data=data, files=files)
        if not result.is_valid:
            raise CaseValidationError(result.errors)
        cleaned, accepted_files = result.cleaned, result.files
        subject_key = eform_case_subject(definition=version.eform, cleaned=cleaned) or client_subject_key(
            client
        )
    else:
        cleaned, accepted_files = dict(data or {}), dict(files or {})
        version = _version_or_none(service)
        subject_key = client_subject_key(client)

    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            number = case_number_next(service=service)  # locks the service's counter: checks below queue
            _refuse_second_open_case(actor=actor, service=service, subject_key=subject_key)
            case = Case.objects.create(
                number=number,
                service=service,
                service_version=version,
                **client_fields(client),
                submitted_by=actor.user_or_none,
                basis=actor.basis,
                channel=actor.channel,
                centre_id=actor.centre_id,
                authorisation_reference=authorisation_reference,
                status=CaseStatus.SUBMITTED,
                data=cleaned,
                subject_key=subject_key,
                planned_completion=working_days_from(timezone.localdate(), service.processing_days),
                external_reference=external_reference,
            )
            saved = save_attachments(
                case=case, files=accepted_files, kind=CaseAttachment.Kind.APPLICATION, actor=actor
            )
            change = history_add(
                case=case, from_status="", to_status=CaseStatus.SUBMITTED, actor=actor, note=note, seq=1
            )
            audit.record(
                action="case.submit",
                actor=actor,
                acting_for=client,
                target=case,
                reason=actor.label,
                data={
                    "number": case.number,
                    "service": service.code,
                    "channel": actor.channel,
                    "basis": actor.basis,
                    "files": len(saved),
                },
            )
            notify_on_commit(case=case, change=change)
            case_events.case_submitted(actor=actor, case=case)
    except BaseException:
        delete_files(saved)
        raise
    return case


def _status_path(start: str, goal: str) -> list[str]:
    """The shortest path of statuses from `start` to `goal` through TRANSITIONS (excluding start),
    never through awaiting payment (a case only waits for a payment when that is its goal)."""
    if start == goal:
        return []
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in sorted(TRANSITIONS.get(current, ())):
            if nxt in previous or nxt == start or (nxt == CaseStatus.AWAITING_PAYMENT and nxt != goal):
                continue
            previous[nxt] = current
            if nxt == goal:
                path = [goal]
                while previous[path[-1]] != start:
                    path.append(previous[path[-1]])
                return list(reversed(path))
            queue.append(nxt)
    raise InvalidTransition(current=start, requested=goal)


def _received_subject_key(*, version, data: Mapping[str, Any], client) -> str:
    """A received case's data was not checked against the e-form: its case-subject code counts
    only when it is a valid personal code; else the client is the subject."""
    if version is not None:
        try:
            subject = eform_case_subject(definition=version.eform, cleaned=data)
        except ValidationError:
            subject = None
        if subject:
            return subject
    return client_subject_key(client)


def case_register_received(
    *,
    actor: Actor,
    service,
    client,
    external_reference: str = "",
    data: Mapping[str, Any] | None = None,
    status: str = CaseStatus.REGISTERED,
    note: str = "",
    files: Mapping[str, Any] | None = None,
) -> Case:
    """Register a case an agency (or a one-stop centre: the actor's centre) received on another
    channel (the actor's), so the registry is complete; `files` (field name → upload) are kept as the
    application's attachments (e.g. the scanned paper).

    No e-form validation (a caller that has the e-form's data checks it first), and no refusal of a
    second open case of a one-off service (the agency has it already; its staff see the warning on
    the case page). History: "submitted", then one row per step of the shortest legal path to
    `status` (so registered gives two rows). Unknown status → InvalidTransition.
    """
    if status not in CaseStatus.values:
        raise InvalidTransition(current=CaseStatus.SUBMITTED, requested=status)
    if status == CaseStatus.AWAITING_PAYMENT and not rules.service_takes_payment(service):
        raise InvalidTransition(current=CaseStatus.SUBMITTED, requested=status)
    path = _status_path(CaseStatus.SUBMITTED, status)
    if not rules.service_accepts_cases(service=service):
        raise ServiceNotAvailable()
    _check_client(service=service, client=client)
    version = _version_or_none(service)
    saved: list[CaseAttachment] = []
    try:
        with transaction.atomic():
            case = _register_received(
                actor=actor,
                service=service,
                client=client,
                version=version,
                external_reference=external_reference,
                data=data,
                status=status,
                path=path,
                note=note,
            )
            saved = save_attachments(
                case=case, files=dict(files or {}), kind=CaseAttachment.Kind.APPLICATION, actor=actor
            )
    except BaseException:
        delete_files(saved)
        raise
    return case


def _register_received(
    *, actor: Actor, service, client, version, external_reference: str, data, status: str, path, note: str
) -> Case:
    """The case, its history up to `status` and its audit event (in the caller's transaction)."""
    now = timezone.now()
    case = Case.objects.create(
        number=case_number_next(service=service),
        service=service,
        service_version=version,
        **client_fields(client),
        submitted_by=actor.user_or_none,
        basis=Basis.AGENCY_REGISTRATION,
        channel=actor.channel,
        centre_id=actor.centre_id,
        status=status,
        data=dict(data or {}),
        subject_key=_received_subject_key(version=version, data=data or {}, client=client),
        planned_completion=working_days_from(timezone.localdate(), service.processing_days),
        external_reference=external_reference,
        completed_at=now if status == CaseStatus.COMPLETED else None,
    )
    change = history_add(
        case=case,
        from_status="",
        to_status=CaseStatus.SUBMITTED,
        actor=actor,
        note=note if not path else "",
        seq=1,
    )
    previous = CaseStatus.SUBMITTED
    for index, step in enumerate(path, start=2):
        change = history_add(
            case=case,
            from_status=previous,
            to_status=step,
            actor=actor,
            note=note if step == status else "",
            seq=index,
        )
        previous = step
    audit.record(
        action="case.register_received",
        actor=actor,
        acting_for=client,
        target=case,
        reason=actor.label,
        data={"number": case.number, "service": service.code, "channel": actor.channel, "status": status},
    )
    notify_on_commit(case=case, change=change)
    return case
