"""What the registry's writes share: case numbers, history rows, files, notifications on commit."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from catalogue.eforms import eform_validate
from kernel.actors import Actor
from kernel.parties import is_organisation, is_person
from outbox import services as outbox

from ..constants import CASE_SEQUENCE_DIGITS
from ..exceptions import CaseValidationError, ServiceNotAvailable
from ..models import Case, CaseAttachment, CaseSequence, StatusChange

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


def client_fields(client) -> dict:
    if is_person(client):
        return {"client_person": client, "client_organisation": None}
    if is_organisation(client):
        return {"client_person": None, "client_organisation": client}
    raise ServiceNotAvailable(_("A case is filed for a person or an organisation."))


def client_subject_key(client) -> str:
    """The client's own identifier: a personal code or a registration number."""
    if is_person(client):
        return client.personal_code
    return getattr(client, "registration_number", "") or ""


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


def history_add(
    *,
    case: Case,
    from_status: str,
    to_status: str,
    actor: Actor,
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
        actor=actor.user_or_none,
        system_label=actor.label,
        channel=actor.channel,
        note=note,
        visible_to_client=visible_to_client,
    )


def notify_on_commit(*, case: Case, change: StatusChange) -> None:
    """Tell the client after the commit, through the outbox (never lost, never a failed request)."""
    if not change.visible_to_client:
        return
    from ..tasks import case_notify_client  # the tasks call these services

    outbox.enqueue(case_notify_client, case.pk, change.pk)


def save_attachments(
    *, case: Case, files: Mapping[str, Any], kind: str, actor: Actor, status_change=None
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
            uploaded_by=actor.user_or_none,
            status_change=status_change,
        )
        attachment.file.save(original, upload, save=False)  # the name comes from case_file_upload_to
        attachment.save()
        saved.append(attachment)
    return saved


def delete_files(attachments: list[CaseAttachment]) -> None:
    for attachment in attachments:
        with contextlib.suppress(OSError):  # best effort
            attachment.file.delete(save=False)


def validate_one_file(field: dict, upload) -> Any:
    result = eform_validate(definition=[field], data={}, files={field["name"]: upload} if upload else {})
    if not result.is_valid:
        raise CaseValidationError(result.errors)
    return result.files.get(field["name"])
