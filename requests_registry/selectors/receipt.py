"""The receipt of a filed application: what the client submitted (the e-form's fields with their labels,
the values as filed, the names of the attached files), when, the planned completion date and where to
follow the case. Printed as a page and as a PDF.

Who may open it is who may open the case page: the client, their legal representative, a delegate for
that service (`case_get_for_user`), and the staff of the agency handling the case (`case_get_for_staff`);
anyone else gets CaseNotFound, like for a missing case or a malformed number. Labels and values are in
the active language: call it with the page's language active.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from catalogue.eforms import FILE, eform_display, eform_field_label
from kernel.actors import Actor

from ..models import Case, CaseAttachment
from .cases import case_get_for_staff, case_get_for_user


@dataclass(frozen=True, slots=True)
class ReceiptField:
    """One line of what was submitted: an e-form field's label and the value as filed."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ReceiptFile:
    """A file attached to the application: the e-form field's label and the file's name as uploaded."""

    label: str
    name: str


@dataclass(frozen=True, slots=True)
class Receipt:
    number: str
    service_code: str
    service_title: str  # in the active language
    agency_name: str
    client_label: str
    submitted_by: str  # the user who filed it ("" when an agency's system or the API did)
    basis_label: str
    channel_label: str
    centre_name: str  # the one-stop centre it was filed at, if any
    centre_address: str
    filed_at: datetime.datetime
    planned_completion: datetime.date | None
    fields: tuple[ReceiptField, ...]
    files: tuple[ReceiptFile, ...]
    case_path: str  # the citizen's case page, where the client follows the case


def _receipt(case: Case) -> Receipt:
    """The receipt of a case read with its service, agency, version, client, filer and centre (one
    more query: the application's files)."""
    definition = case.service_version.eform if case.service_version_id else case.service.eform
    definition = definition or []
    file_labels = {f.get("name"): eform_field_label(f) for f in definition if f.get("type") == FILE}
    attachments = CaseAttachment.objects.filter(
        case=case, kind=CaseAttachment.Kind.APPLICATION, visible_to_client=True
    ).order_by("created_at", "id")
    files = tuple(
        ReceiptFile(label=file_labels.get(a.field_name) or "", name=a.original_name)
        for a in attachments.only("field_name", "original_name")
    )
    fields = tuple(
        ReceiptField(label=row["label"], value=row["value"])
        for row in eform_display(definition=definition, cleaned=case.data or {})
        if row["type"] != FILE
    )
    centre = case.centre
    return Receipt(
        number=case.number,
        service_code=case.service.code,
        service_title=case.service.title,
        agency_name=case.service.agency.name,
        client_label=case.client_label,
        submitted_by=str(case.submitted_by) if case.submitted_by_id else "",
        basis_label=str(case.get_basis_display()),
        channel_label=str(case.get_channel_display()),
        centre_name=centre.name if centre is not None else "",
        centre_address=centre.address if centre is not None else "",
        filed_at=case.created_at,
        planned_completion=case.planned_completion,
        fields=fields,
        files=files,
        case_path=case.get_absolute_url(),
    )


def case_receipt_for_user(*, actor: Actor, number: str) -> tuple[Case, Receipt]:
    """The case and its receipt, for whoever may open the case page (the client, a representative, a
    delegate for the service); CaseNotFound for everyone else, alike."""
    case = case_get_for_user(user=actor.user, number=number)
    return case, _receipt(case)


def case_receipt_for_staff(*, actor: Actor, number: str) -> tuple[Case, Receipt]:
    """The case and its receipt, for the staff of the agency handling it (to print it again for the
    client); CaseNotFound for everyone else, alike."""
    case = case_get_for_staff(user=actor.user, number=number)
    return case, _receipt(case)
