"""The authorised e-service (pilnvarotais e-pakalpojums, Reg. 401 points 2.6 and 22.1): a one-stop
centre's specialist files an e-service for a natural person who has no eID means, on a written
authorisation, the seven duties of point 22.1 in order:

1. the client's identity is checked (the visit's identity check, before anything is shown);
2. the specialist is identified with a qualified eID (a session of the high level), refused otherwise;
3. the client is told how their data will be used, the written authorisation is printed in two copies
   and the client signs it (the signed copy may be scanned and attached);
4. only the data the service's e-form needs is entered;
5. the e-service is filed: channel vpvkac, basis "authorised filing", the authorisation's number as
   the case's authorisation reference;
6. the client is told the planned completion date (working days) and gets a receipt;
7. the client chooses whether and how to be told the result; when the case ends they are told so.

Each step is one service: it locks the filing, asks `rules.filing_step_allowed` (in its turn, by the
specialist who started it, on a high session) and moves `step` on; each writes an audit event. A
refusal is audited too (outside the transaction that it stops)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit.services as audit
from eaccount import services as eaccount_services
from eaccount.constants import NoticeChannel
from kernel.actors import Actor
from kernel.constants import Basis, Channel
from kernel.errors import DomainError
from requests_registry import rules as registry_rules
from requests_registry import services as registry
from requests_registry.constants import CaseStatus
from requests_registry.exceptions import CaseValidationError

from .. import rules
from ..constants import FilingStep, HandoverTarget, ResultNotice, VisitChannel, WorkplaceAction
from ..exceptions import FilingNotFound, FilingRefused, FilingStepNotAllowed, VisitNotFound
from ..models import AuthorisedFiling, Handover, Visit
from ._scans import scan_errors

# why an authorised e-service is refused, in the specialist's words (the registry's reasons and ours)
REFUSALS = {
    **registry.AUTHORISED_FILING_REFUSALS,
    "service_closed": gettext_lazy("This service is not published: it cannot be applied for now."),
    "client_not_served": gettext_lazy("This service is not for this client."),
    "phone": gettext_lazy(
        "An authorised e-service is filed with the client at the desk: they sign the authorisation."
    ),
    "no_eform": gettext_lazy(
        "This service has no e-form: register the application as received on paper instead."
    ),
}
# the registry's own checks say "assurance" at the start; it is step 2's refusal
SPECIALIST_STEP_REFUSAL = "assurance"
RESULT_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED})


def _refuse(*, actor: Actor, reason: str, client, service, filing: AuthorisedFiling | None = None):
    audit.record(
        action=WorkplaceAction.FILING_REFUSED,
        actor=actor,
        acting_for=client,
        target=filing,
        reason=reason,
        data={"reason": reason, "service": getattr(service, "code", "")},
    )
    return FilingRefused(REFUSALS[reason], code=f"workplace.filing_refused.{reason}")


def filing_refusal(*, actor: Actor, visit: Visit, service) -> str | None:
    """Why this client of this visit may not have `service` filed for them on an authorisation (None:
    they may); the session's level is left to step 2."""
    client = visit.client
    if visit.channel == VisitChannel.PHONE:
        return "phone"
    user = actor.user_or_none
    refusal = registry_rules.authorised_filing_refusal(
        actor=actor,
        service=service,
        client=client,
        centre_ids={visit.centre_id} if user is not None and visit.specialist_id == user.pk else set(),
    )
    if refusal not in (None, SPECIALIST_STEP_REFUSAL):
        return refusal
    if not registry_rules.service_accepts_cases(service=service):
        return "service_closed"
    if not registry_rules.service_serves_client(service=service, client=client):
        return "client_not_served"
    if not service.eform:
        return "no_eform"
    return None


def _number() -> str:
    return f"PIL-{timezone.localdate():%Y}-{secrets.token_hex(4).upper()}"


def filing_start(*, actor: Actor, visit: Visit, service, purpose: str = "") -> AuthorisedFiling:
    """Begin an authorised e-service in the actor's open visit (step 1, the identity check, is the
    visit's); FilingRefused (audited) with the reason when it may not be filed."""
    user_id = getattr(actor.user_or_none, "pk", None)
    if not rules.visit_held_by(visit, user_id=user_id):
        raise VisitNotFound()
    client = visit.client
    refusal = filing_refusal(actor=actor, visit=visit, service=service)
    if refusal is not None:
        raise _refuse(actor=actor, reason=refusal, client=client, service=service)
    with transaction.atomic():
        filing = AuthorisedFiling.objects.create(
            number=_number(),
            visit=visit,
            client_person=client,
            specialist_id=user_id,
            centre_id=visit.centre_id,
            service=service,
            purpose=(purpose or "").strip()[:300]
            or _("To apply for the service “%(title)s”") % {"title": service.title},
            step=FilingStep.SPECIALIST,
            identity_checked_at=visit.started_at,
        )
        audit.record(
            action=WorkplaceAction.FILING_START,
            actor=actor,
            acting_for=client,
            target=filing,
            data={"number": filing.number, "service": service.code, "visit": visit.pk},
        )
    return filing


def _locked(actor: Actor, filing: AuthorisedFiling, step: int) -> AuthorisedFiling:
    locked = (
        AuthorisedFiling.objects.select_for_update(of=("self",))
        .select_related("client_person", "service", "centre", "case")
        .get(pk=filing.pk)
    )
    if not rules.filing_held_by(locked, user_id=getattr(actor.user_or_none, "pk", None)):
        raise FilingNotFound()
    if not rules.filing_step_allowed(locked, step=step, actor=actor):
        raise FilingStepNotAllowed()
    return locked


def _done(actor: Actor, locked: AuthorisedFiling, *, action: str, fields: list[str], data=None) -> None:
    locked.step += 1
    locked.save(update_fields=[*fields, "step"])
    audit.record(
        action=action,
        actor=actor,
        acting_for=locked.client_person,
        target=locked,
        data={"number": locked.number, "step": locked.step - 1, **(data or {})},
    )


def _copy_back(filing: AuthorisedFiling, locked: AuthorisedFiling) -> AuthorisedFiling:
    for field in AuthorisedFiling._meta.concrete_fields:
        setattr(filing, field.attname, getattr(locked, field.attname))
    return locked


def filing_specialist_identify(*, actor: Actor, filing: AuthorisedFiling) -> AuthorisedFiling:
    """Step 2: the specialist is identified with a qualified eID (the session's level is high);
    FilingRefused (audited) on a lower one, with the reason."""
    if (
        filing.step == FilingStep.SPECIALIST
        and rules.filing_held_by(filing, user_id=getattr(actor.user_or_none, "pk", None))
        and not rules.filing_step_allowed(filing, step=FilingStep.SPECIALIST, actor=actor)
    ):
        raise _refuse(
            actor=actor,
            reason=SPECIALIST_STEP_REFUSAL,
            client=filing.client_person,
            service=filing.service,
            filing=filing,
        )
    with transaction.atomic():
        locked = _locked(actor, filing, FilingStep.SPECIALIST)
        locked.specialist_assurance = actor.assurance or ""
        locked.specialist_identified_at = timezone.now()
        _done(
            actor,
            locked,
            action=WorkplaceAction.FILING_SPECIALIST,
            fields=["specialist_assurance", "specialist_identified_at"],
            data={"assurance": locked.specialist_assurance},
        )
    return _copy_back(filing, locked)


def filing_authorisation_printed(*, actor: Actor, filing: AuthorisedFiling) -> None:
    """The written authorisation is printed (its PDF opened): the first time is kept and audited."""
    with transaction.atomic():
        locked = AuthorisedFiling.objects.select_for_update().get(pk=filing.pk)
        if not rules.filing_held_by(locked, user_id=getattr(actor.user_or_none, "pk", None)):
            raise FilingNotFound()
        if not rules.filing_authorisation_printable(locked):
            raise FilingStepNotAllowed()
        if locked.authorisation_printed_at is None:
            locked.authorisation_printed_at = timezone.now()
            locked.save(update_fields=["authorisation_printed_at"])
            audit.record(
                action=WorkplaceAction.FILING_AUTHORISATION,
                actor=actor,
                acting_for=filing.client_person,
                target=locked,
                data={"number": locked.number, "copies": 2},
            )
        filing.authorisation_printed_at = locked.authorisation_printed_at


def filing_signed(
    *, actor: Actor, filing: AuthorisedFiling, informed: bool, signed: bool, scan=None
) -> AuthorisedFiling:
    """Step 3: the client was told how their data will be used and signed the printed authorisation;
    the signed copy's scan (a PDF, up to 10 MB) may be attached."""
    errors: dict[str, list[str]] = {}
    if not informed:
        errors["informed"] = [_("Tell the client how their personal data will be used, then tick this.")]
    if not signed:
        errors["signed"] = [_("The client signs the written authorisation before anything is filed.")]
    if problems := scan_errors(scan):
        errors["scan"] = problems
    with transaction.atomic():
        locked = _locked(actor, filing, FilingStep.AUTHORISATION)
        if locked.authorisation_printed_at is None:
            errors["signed"] = [_("Print the written authorisation first: two copies.")]
        if errors:
            raise DomainError(code="workplace.filing_invalid", field_errors=errors)
        locked.signed_at = timezone.now()
        fields = ["signed_at"]
        if scan is not None:
            locked.signed_scan.save("scan.pdf", scan, save=False)
            fields.append("signed_scan")
        _done(
            actor,
            locked,
            action=WorkplaceAction.FILING_SIGNED,
            fields=fields,
            data={"scan": scan is not None},
        )
    return _copy_back(filing, locked)


def filing_scan_attach(*, actor: Actor, filing: AuthorisedFiling, scan) -> AuthorisedFiling:
    """The signed copy's scan, attached after the signing (once signed, at any later step)."""
    errors = scan_errors(scan)
    if errors:
        raise DomainError(code="workplace.filing_invalid", field_errors={"scan": errors})
    with transaction.atomic():
        locked = AuthorisedFiling.objects.select_for_update().get(pk=filing.pk)
        if not rules.filing_held_by(locked, user_id=getattr(actor.user_or_none, "pk", None)):
            raise FilingNotFound()
        if locked.signed_at is None:
            raise FilingStepNotAllowed()
        locked.signed_scan.save("scan.pdf", scan, save=False)
        locked.save(update_fields=["signed_scan"])
        audit.record(
            action=WorkplaceAction.FILING_SIGNED,
            actor=actor,
            acting_for=locked.client_person,
            target=locked,
            data={"number": locked.number, "scan": True},
        )
    return _copy_back(filing, locked)


def filing_form_enter(*, actor: Actor, filing: AuthorisedFiling, data: Mapping[str, Any]) -> AuthorisedFiling:
    """Step 4: the data of the service's e-form, checked as the e-service checks it (CaseValidationError
    with the field errors; nothing kept)."""
    with transaction.atomic():
        locked = _locked(actor, filing, FilingStep.FORM)
        _version, result = registry.case_validate_form(service=locked.service, data=data, files={})
        if not result.is_valid:
            raise CaseValidationError(result.errors)
        locked.form_data = result.cleaned
        locked.form_entered_at = timezone.now()
        _done(
            actor,
            locked,
            action=WorkplaceAction.FILING_FORM,
            fields=["form_data", "form_entered_at"],
            data={"fields": sorted(result.cleaned)},
        )
    return _copy_back(filing, locked)


def _filer(actor: Actor, filing: AuthorisedFiling) -> Actor:
    return Actor(
        user=actor.user,
        principal=filing.client_person,
        basis=Basis.AUTHORISED_FILING,
        channel=Channel.VPVKAC,
        assurance=actor.assurance,
        centre_id=filing.centre_id,
        ip=actor.ip,
    )


def filing_file(*, actor: Actor, filing: AuthorisedFiling) -> AuthorisedFiling:
    """Step 5: file the e-service (once: a second click finds it filed and changes nothing). Data
    that no longer passes the e-form's checks (e.g. a date bound moved on) sends the filing back to
    step 4 with the errors."""
    with transaction.atomic():
        locked = AuthorisedFiling.objects.select_for_update().get(pk=filing.pk)
        if locked.case_id is not None and rules.filing_held_by(
            locked, user_id=getattr(actor.user_or_none, "pk", None)
        ):
            return _copy_back(filing, locked)
    try:
        with transaction.atomic():
            locked = _locked(actor, filing, FilingStep.FILE)
            case = registry.case_submit(
                actor=_filer(actor, locked),
                service=locked.service,
                client=locked.client_person,
                data=locked.form_data,
                authorisation_reference=locked.number,
            )
            locked.case = case
            locked.filed_at = timezone.now()
            _done(
                actor,
                locked,
                action=WorkplaceAction.FILING_FILED,
                fields=["case", "filed_at"],
                data={"case": case.number},
            )
    except CaseValidationError:
        with transaction.atomic():
            back = AuthorisedFiling.objects.select_for_update().get(pk=filing.pk)
            if back.step == FilingStep.FILE:
                back.step = FilingStep.FORM
                back.save(update_fields=["step"])
            _copy_back(filing, back)
        raise
    return _copy_back(filing, locked)


def filing_planned_told(*, actor: Actor, filing: AuthorisedFiling) -> AuthorisedFiling:
    """Step 6: the client was told the planned completion date (and given the receipt)."""
    with transaction.atomic():
        locked = _locked(actor, filing, FilingStep.PLANNED_DATE)
        locked.planned_told_at = timezone.now()
        planned = locked.case.planned_completion
        _done(
            actor,
            locked,
            action=WorkplaceAction.FILING_PLANNED_DATE,
            fields=["planned_told_at"],
            data={"planned": planned.isoformat() if planned else ""},
        )
    return _copy_back(filing, locked)


def filing_result_notice_choose(
    *, actor: Actor, filing: AuthorisedFiling, notice: str, address: str = ""
) -> AuthorisedFiling:
    """Step 7: whether and how the client is told the result: by e-mail or SMS (their case notices go
    there from now on, through `notify`), by post (the centre is handed the letter to send when the
    case ends) or not at all (the e-account only, for when they get one)."""
    address = " ".join((address or "").split())
    if notice not in ResultNotice.values:
        raise DomainError(
            code="workplace.filing_invalid", field_errors={"notice": [_("Choose how to tell the result.")]}
        )
    if notice == ResultNotice.POST and not (10 <= len(address) <= 300):
        raise DomainError(
            code="workplace.filing_invalid",
            field_errors={"address": [_("Enter the postal address: street, house, town and postcode.")]},
        )
    with transaction.atomic():
        locked = _locked(actor, filing, FilingStep.RESULT_NOTICE)
        channel = {
            ResultNotice.EMAIL: NoticeChannel.EMAIL,
            ResultNotice.SMS: NoticeChannel.SMS,
        }.get(notice, "none")
        eaccount_services.case_notices_set_in_person(
            actor=_filer(actor, locked), person=locked.client_person, channel=channel, address=address
        )
        locked.result_notice = notice
        locked.result_notice_address = address if notice != ResultNotice.NONE else ""
        locked.result_notice_chosen_at = timezone.now()
        _done(
            actor,
            locked,
            action=WorkplaceAction.FILING_RESULT_NOTICE,
            fields=["result_notice", "result_notice_address", "result_notice_chosen_at"],
            data={"notice": notice},
        )
    return _copy_back(filing, locked)


def authorised_filing_case_status_changed(*, actor: Actor, case, from_status: str, to_status: str) -> None:
    """Registered with the registry (apps.py): when a case filed under an authorisation ends, its
    client is told the way they chose — by e-mail or SMS the registry's own status notice goes there
    (`notify`, by the choices set at step 7); by post the centre gets a hand-over to send the letter.
    Runs in the transition's transaction, once per filing."""
    if to_status not in RESULT_STATUSES or case.basis != Basis.AUTHORISED_FILING:
        return
    filing = (
        AuthorisedFiling.objects.select_for_update()
        .filter(case_id=case.pk, result_told_at__isnull=True)
        .exclude(result_notice="")
        .first()
    )
    if filing is None:
        return
    filing.result_told_at = timezone.now()
    filing.save(update_fields=["result_told_at"])
    if filing.result_notice == ResultNotice.POST:
        Handover.objects.create(
            visit_id=filing.visit_id,
            target=HandoverTarget.CENTRE,
            to_centre_id=filing.centre_id,
            handed_by_id=filing.specialist_id,
            note=_("Send the result of case %(number)s (%(status)s) by post to: %(address)s")
            % {
                "number": case.number,
                "status": CaseStatus(to_status).label,
                "address": filing.result_notice_address,
            },
        )
    audit.record(
        action=WorkplaceAction.FILING_RESULT_TOLD,
        actor=actor,
        acting_for=case.client,
        target=filing,
        data={
            "number": filing.number,
            "case": case.number,
            "notice": filing.result_notice,
            "status": to_status,
        },
    )
