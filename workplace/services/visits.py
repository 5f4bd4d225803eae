"""Serving a client: the visit (in person or on the phone) from the identity check to the end, and the
look at the client's 360 profile, each opening with its purpose kept in the audit trail, which the
client reads in "who looked at my data"."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import audit.services as audit
from audit.services import Reader
from catalogue import selectors as catalogue_selectors
from eaccount.selectors import centre_ids_for_user
from kernel.actors import Actor
from kernel.parties import is_person

from .. import rules
from ..constants import IdentityCheck, IdentityDocument, ProfilePurpose, VisitChannel, WorkplaceAction
from ..exceptions import IdentityCheckInvalid, PurposeMissing, VisitNotFound
from ..models import Visit

DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")
PURPOSE_TEXT_LIMIT = 300


def _identity_errors(
    *, channel: str, identity_check: str, document: str, document_number: str, note: str
) -> dict[str, list[str]]:
    """Concept 4.4.2.4: at the desk, an identity document (type and number) or the specialist knows
    the client; on the phone, questions answered from the profile (which ones, in the note)."""
    errors: dict[str, list[str]] = {}
    if channel == VisitChannel.PHONE:
        if identity_check != IdentityCheck.PROFILE_QUESTIONS:
            errors["identity_check"] = [
                _("On the phone, check the identity with questions from the profile.")
            ]
        elif not note:
            errors["identity_note"] = [_("Write which questions the client answered.")]
        return errors
    if identity_check == IdentityCheck.PROFILE_QUESTIONS:
        errors["identity_check"] = [_("At the desk, see an identity document or know the client in person.")]
    elif identity_check == IdentityCheck.DOCUMENT:
        if document not in IdentityDocument.values:
            errors["identity_document"] = [_("Choose the identity document shown.")]
        if not DOCUMENT_NUMBER.match(document_number):
            errors["identity_document_number"] = [
                _("Enter the document's number: 5 to 20 Latin letters and digits.")
            ]
    elif identity_check != IdentityCheck.KNOWN_IN_PERSON:
        errors["identity_check"] = [_("Choose how the identity was checked.")]
    return errors


def _centre_of(actor: Actor) -> int:
    user = actor.user_or_none
    if user is None or actor.centre_id is None or actor.centre_id not in centre_ids_for_user(user=user):
        raise VisitNotFound(_("Only a one-stop centre's specialist serves clients here."))
    return actor.centre_id


@transaction.atomic
def visit_start(
    *,
    actor: Actor,
    client,
    channel: str,
    identity_check: str,
    identity_document: str = "",
    identity_document_number: str = "",
    identity_note: str = "",
) -> Visit:
    """Start serving `client` (a Person or an Organisation) at the actor's centre, once the identity
    is checked (IdentityCheckInvalid with the field errors otherwise; nothing stored)."""
    centre_id = _centre_of(actor)
    if channel not in VisitChannel.values:
        raise IdentityCheckInvalid(field_errors={"channel": [_("Choose in person or phone.")]})
    document_number = (identity_document_number or "").strip().upper().replace(" ", "")
    note = (identity_note or "").strip()[:300]
    if identity_check != IdentityCheck.DOCUMENT:
        identity_document, document_number = "", ""
    errors = _identity_errors(
        channel=channel,
        identity_check=identity_check,
        document=identity_document,
        document_number=document_number,
        note=note,
    )
    if errors:
        raise IdentityCheckInvalid(field_errors=errors)
    person = is_person(client)
    visit = Visit.objects.create(
        specialist=actor.user_or_none,
        centre_id=centre_id,
        channel=channel,
        client_person=client if person else None,
        client_organisation=None if person else client,
        identity_check=identity_check,
        identity_document=identity_document,
        identity_document_number=document_number,
        identity_note=note,
    )
    audit.record(
        action=WorkplaceAction.VISIT_START,
        actor=actor,
        acting_for=client,
        target=visit,
        data={
            "channel": channel,
            "identity_check": identity_check,
            "identity_document": identity_document,
            # the document's last four characters only: enough to find it, not to copy it
            "identity_document_number": f"…{document_number[-4:]}" if document_number else "",
        },
    )
    return visit


@transaction.atomic
def visit_end(*, actor: Actor, visit: Visit) -> Visit:
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if not rules.visit_held_by(locked, user_id=getattr(actor.user_or_none, "pk", None)):
        raise VisitNotFound()
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    audit.record(action=WorkplaceAction.VISIT_END, actor=actor, acting_for=locked.client, target=locked)
    visit.ended_at = locked.ended_at
    return locked


def _purpose_text(purpose: str, text: str, language: str) -> str:
    with translation.override(language):
        label = str(ProfilePurpose(purpose).label)
    return f"{label}: {text}" if text else label


def profile_look_record(
    *,
    actor: Actor,
    client,
    purpose: str,
    purpose_text: str = "",
    visit: Visit | None = None,
    agency_ids: set[int] | None = None,
) -> None:
    """Keep a look at `client`'s 360 profile with its purpose (PurposeMissing without one): the client
    reads who, from which institution (the actor's centre, or their agency: `agency_ids`), when and
    why in "who looked at my data"."""
    text = " ".join((purpose_text or "").split())[:PURPOSE_TEXT_LIMIT]
    if purpose not in ProfilePurpose.values:
        raise PurposeMissing(field_errors={"purpose": [_("Choose why you open the client's profile.")]})
    if purpose in (ProfilePurpose.CASE, ProfilePurpose.CONSULTATION) and not text:
        raise PurposeMissing(field_errors={"purpose_text": [_("Name the case or the question it is about.")]})
    if actor.centre_id is not None:
        institution = catalogue_selectors.centres(ids=[actor.centre_id]).first()
    else:
        institution = catalogue_selectors.agencies(ids=sorted(agency_ids or ())[:1]).first()
    data = {
        "reader": Reader.OFFICIAL,
        "purpose": f"workplace.{purpose}",
        "why": _purpose_text(purpose, text, "lv"),
        "why_en": _purpose_text(purpose, text, "en"),
        "visit": visit.pk if visit is not None else None,
        "agencies": sorted(agency_ids) if agency_ids is not None else None,
    }
    if institution is not None:
        data["agency"], data["agency_en"] = institution.name_lv, institution.name_en or institution.name_lv
    audit.record(
        action=WorkplaceAction.PROFILE_VIEW,
        actor=actor,
        acting_for=client,
        target=client,
        subject=client,
        reason=data["why"],
        data=data,
    )
