"""Applications a one-stop centre received on paper (at the desk or by post), by e-mail or on the
phone, for any agency's service: the specialist registers them with the e-form's data and the scanned
paper, so the registry is complete; the case reaches the agency like any other (and its back-office
system through the case API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.constants import Channel
from requests_registry import services as registry
from requests_registry.constants import CaseStatus
from requests_registry.exceptions import CaseValidationError

from .. import rules
from ..constants import WorkplaceAction
from ..exceptions import VisitNotFound
from ._scans import scan_errors

# the channels an application reaches a centre on, besides the e-service: paper at the desk, post, e-mail, phone
PAPER_CHANNELS = (Channel.VPVKAC, Channel.POST, Channel.EMAIL, Channel.PHONE)
SCAN_FIELD = "scan"


def paper_case_register(
    *,
    actor: Actor,
    visit,
    service,
    channel: str,
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
    scan=None,
):
    """Register the client's application received on `channel`: the data checked against the service's
    e-form when it has one (CaseValidationError with the field errors; nothing stored), its files and
    the scanned paper (`scan`, a PDF) kept as the application's attachments. The case is "submitted"
    at the actor's centre, on the basis "registered by the agency"."""
    if not rules.visit_held_by(visit, user_id=getattr(actor.user_or_none, "pk", None)):
        raise VisitNotFound()
    errors: dict[str, list[str]] = {}
    if channel not in PAPER_CHANNELS:
        errors["channel"] = [_("Choose how the application was received.")]
    if problems := scan_errors(scan):
        errors[SCAN_FIELD] = problems
    cleaned, accepted = dict(data or {}), {}
    if service.eform:
        _version, result = registry.case_validate_form(service=service, data=data, files=files or {})
        if not result.is_valid:
            errors.update(result.errors)
        cleaned, accepted = result.cleaned, dict(result.files)
    if errors:
        raise CaseValidationError(errors)
    if scan is not None:
        accepted[SCAN_FIELD] = scan
    registrar = Actor(
        user=actor.user,
        channel=channel,
        assurance=actor.assurance,
        centre_id=visit.centre_id,
        ip=actor.ip,
        system_label=actor.system_label,
    )
    with transaction.atomic():
        case = registry.case_register_received(
            actor=registrar,
            service=service,
            client=visit.client,
            data=cleaned,
            files=accepted,
            status=CaseStatus.SUBMITTED,
        )
        audit.record(
            action=WorkplaceAction.PAPER_CASE,
            actor=registrar,
            acting_for=visit.client,
            target=case,
            data={"number": case.number, "service": service.code, "channel": channel, "visit": visit.pk},
        )
    return case
