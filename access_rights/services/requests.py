"""Annex 2 requests: an agency, municipality or centre asks the ministry to grant or revoke admin-level
rights of named employees, with the signed request document; a platform admin approves or refuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from eaccount import selectors as eaccount_selectors
from eaccount import services as eaccount_services
from kernel.actors import Actor
from kernel.errors import Invalid, NotFound
from notifications.services import notify

from .. import rules
from ..constants import (
    REQUEST_DOCUMENT_MAX_BYTES,
    REQUEST_ENTRIES_MAX,
    AccessRequestAction,
    AccessRequestStatus,
)
from ..exceptions import AccessRequestDecided, AccessRequestDecisionNotAllowed, AccessRequestNotAllowed
from ..models import AccessRequest, AccessRequestEntry
from ..signed_documents import signed_document_check
from ._common import attempt_refused, localised, role_changed_notify, scope_name, term_end


@dataclass(frozen=True)
class EntryData:
    """One employee as the request names them (Annex 2: name, e-mail, phone, position, the right and
    its term). The person is found in the register by personal code."""

    action: str
    kind: str
    personal_code: str
    email: str = ""
    phone: str = ""
    position: str = ""
    valid_until: date | None = None
    permanent: bool = False


def _entry_errors(*, entries: list[EntryData], agency, centre, today: date) -> tuple[dict, list]:
    """Field errors keyed `entries-<row>-<field>` (the form's rows), and the (entry, person) pairs."""
    errors: dict[str, list[str]] = {}
    found = []
    seen = set()
    for row, entry in enumerate(entries):
        key = f"entries-{row}-"
        try:
            person = eaccount_selectors.person_get_by_personal_code(personal_code=entry.personal_code)
        except ValidationError as error:
            errors[key + "personal_code"] = list(error.messages)
            continue
        if person is None:
            errors[key + "personal_code"] = [_("No person with this personal code is in the register.")]
            continue
        agency_id, centre_id = (agency.pk if agency else None), (centre.pk if centre else None)
        if entry.action not in AccessRequestAction.values:
            errors[key + "action"] = [_("Choose whether to grant or revoke the right.")]
        if not rules.access_request_entry_kind_allowed(
            kind=entry.kind, agency_id=agency_id, centre_id=centre_id
        ):
            errors[key + "kind"] = [_("Ask for the admin role of the agency or centre this request is for.")]
        elif (person.pk, entry.kind) in seen:
            errors[key + "personal_code"] = [_("This person is named twice for the same role.")]
        seen.add((person.pk, entry.kind))
        if entry.action == AccessRequestAction.GRANT and not rules.term_allowed(
            valid_until=entry.valid_until, permanent=entry.permanent, today=today
        ):
            errors[key + "valid_until"] = [
                _("Give a date after today until which the right holds, or tick “permanent”.")
            ]
        if entry.action == AccessRequestAction.REVOKE:
            user = getattr(person, "user", None)
            if (
                user is None
                or not eaccount_selectors.staff_role_current_of(
                    user_id=user.pk, kind=entry.kind, agency_id=agency_id, centre_id=centre_id
                ).exists()
            ):
                errors[key + "personal_code"] = [_("This person holds no such right to revoke.")]
        found.append((entry, person))
    if not entries:
        errors["__all__"] = [_("Name at least one employee.")]
    elif len(entries) > REQUEST_ENTRIES_MAX:
        errors["__all__"] = [
            _("Name at most %(count)s employees in one request.") % {"count": REQUEST_ENTRIES_MAX}
        ]
    return errors, found


def _link(request: AccessRequest) -> str:
    return reverse("access_rights:request-detail", args=[request.pk])


def access_request_submit(
    *, actor: Actor, entries: list[EntryData], document, agency=None, centre=None, note: str = ""
) -> AccessRequest:
    """Record an Annex 2 request with its signed document (checked to be a well-formed ASiC-E container
    or a signed PDF; the signature itself is the ministry's to validate) and tell the platform admins.
    Raises AccessRequestNotAllowed (403, audited) unless the actor works for that agency or centre, and
    Invalid (422) naming the fields."""
    user = actor.user_or_none
    municipality_id = centre.municipality_id if centre is not None else None
    if (agency is None) == (centre is None) or not rules.access_request_submit_allowed(
        user=user,
        agency_id=agency.pk if agency else None,
        centre_id=centre.pk if centre else None,
        municipality_id=municipality_id,
    ):
        attempt_refused(
            actor=actor,
            action="access_request.submit",
            reason="not_for_own_scope",
            target=agency or centre,
        )
        raise AccessRequestNotAllowed()
    errors, found = _entry_errors(entries=entries, agency=agency, centre=centre, today=timezone.localdate())
    try:
        signed = signed_document_check(document, max_bytes=REQUEST_DOCUMENT_MAX_BYTES)
    except Invalid as error:
        errors.update(error.field_errors)
        signed = None
    if errors:
        raise Invalid(field_errors=errors)
    with transaction.atomic():
        request = AccessRequest(
            agency=agency,
            centre=centre,
            submitted_by=user,
            note=note.strip(),
            document_name=(getattr(document, "name", "") or "request")[-200:],
            document_kind=signed.kind,
            document_sha256=signed.sha256,
            document_signatures=list(signed.signature_files),
        )
        request.document.save(request.document_name, document, save=False)
        request.save()
        AccessRequestEntry.objects.bulk_create(
            [
                AccessRequestEntry(
                    request=request,
                    action=entry.action,
                    kind=entry.kind,
                    person=person,
                    email=entry.email.strip(),
                    phone=entry.phone.strip(),
                    position=entry.position.strip(),
                    valid_until=entry.valid_until
                    if entry.action == AccessRequestAction.GRANT and not entry.permanent
                    else None,
                    permanent=entry.permanent and entry.action == AccessRequestAction.GRANT,
                )
                for entry, person in found
            ]
        )
        audit.record(
            action="access_request.submit",
            actor=actor,
            target=request,
            data={
                "scope": (agency or centre).code,
                "entries": [
                    {"person": person.pk, "action": entry.action, "kind": entry.kind}
                    for entry, person in found
                ],
                "document": {
                    "kind": signed.kind,
                    "sha256": signed.sha256,
                    "signatures": list(signed.signature_files),
                },
            },
        )
        link = _link(request)
        for admin in eaccount_selectors.platform_admin_persons().exclude(pk=getattr(user, "person_id", None)):
            notify(
                party=admin,
                topic="access_request_submitted",
                context={
                    "number": request.number,
                    "scope": scope_name(agency or centre),
                    "count": len(found),
                    "link": link,
                },
                dedupe_key=f"access-request-submitted:{request.pk}:{admin.pk}",
                actor=actor,
                link_url=link,
            )
    return request


def _decision_check(*, actor: Actor, request_id: int, action: str) -> None:
    """Refuse (audited, outside the decision's transaction, which a refusal rolls back) unless the
    actor may decide the request."""
    request = AccessRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    if not rules.access_request_decide_allowed(user=actor.user_or_none, request=request):
        attempt_refused(actor=actor, action=action, reason="not_the_ministry_or_own", target=request)
        raise AccessRequestDecisionNotAllowed()


def _decision_locked(*, request_id: int) -> AccessRequest:
    """The request, locked, if it still waits for a decision; else 409 (decided already)."""
    locked = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "centre", "submitted_by__person")
        .get(pk=request_id)
    )
    if not rules.access_request_pending(request=locked):
        raise AccessRequestDecided()
    return locked


def _tell_submitter(*, actor: Actor, request: AccessRequest, decision, reason: str = "") -> None:
    person = getattr(request.submitted_by, "person", None)
    if person is None:
        return
    link = _link(request)
    notify(
        party=person,
        topic="access_request_decided",
        context={
            "number": request.number,
            "scope": scope_name(request.scope),
            "decision": localised(decision),
            "reason": reason,
            "link": link,
        },
        dedupe_key=f"access-request-decided:{request.pk}",
        actor=actor,
        link_url=link,
    )


def _entry_apply(*, actor: Actor, request: AccessRequest, entry: AccessRequestEntry) -> None:
    """Grant or revoke the entry's right (an older right of the same kind is replaced by the new term)."""
    person = entry.person
    user = getattr(person, "user", None)
    scope = {"agency": request.agency, "centre": request.centre}
    current = (
        list(
            eaccount_selectors.staff_role_current_of(
                user_id=user.pk, kind=entry.kind, agency_id=request.agency_id, centre_id=request.centre_id
            )
        )
        if user is not None
        else []
    )
    reason = _("On request %(number)s") % {"number": request.number}
    for role in current:
        eaccount_services.staff_role_revoke(actor=actor, role=role, reason=reason)
        entry.role = role
        if entry.action == AccessRequestAction.REVOKE:
            role_changed_notify(actor=actor, role=role, granted=False, key=request.number)
    if entry.action == AccessRequestAction.GRANT:
        if user is None:
            user = eaccount_services.user_create_for_person(person=person)
        entry.role = eaccount_services.staff_role_grant(
            actor=actor,
            user=user,
            kind=entry.kind,
            valid_until=term_end(entry.valid_until),
            permanent=entry.permanent,
            **scope,
        )
        role_changed_notify(actor=actor, role=entry.role, granted=True, key=request.number)
    entry.save(update_fields=["role"])


def access_request_approve(*, actor: Actor, request_id: int) -> AccessRequest:
    """The ministry approves: each named employee's right is granted with its term (or revoked), the
    request is closed, and the submitter and the employees are told. Approving twice is refused (409)."""
    _decision_check(actor=actor, request_id=request_id, action="access_request.approve")
    with transaction.atomic():
        request = _decision_locked(request_id=request_id)
        for entry in request.entries.select_related("person__user").order_by("id"):
            _entry_apply(actor=actor, request=request, entry=entry)
        request.status = AccessRequestStatus.APPROVED
        request.decided_by = actor.user_or_none
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(action="access_request.approve", actor=actor, target=request)
        _tell_submitter(actor=actor, request=request, decision=AccessRequestStatus.APPROVED.label)
    return request


def access_request_refuse(*, actor: Actor, request_id: int, reason: str) -> AccessRequest:
    """The ministry refuses, with the reason (required), which the submitter is told."""
    _decision_check(actor=actor, request_id=request_id, action="access_request.refuse")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(field_errors={"reason": [_("Say why the request is refused.")]})
    with transaction.atomic():
        request = _decision_locked(request_id=request_id)
        request.status = AccessRequestStatus.REFUSED
        request.decided_by = actor.user_or_none
        request.decided_at = timezone.now()
        request.refusal_reason = reason[:2000]
        request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        audit.record(action="access_request.refuse", actor=actor, target=request, reason=reason[:2000])
        _tell_submitter(
            actor=actor, request=request, decision=AccessRequestStatus.REFUSED.label, reason=reason
        )
    return request
