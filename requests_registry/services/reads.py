"""Reads of a client's case kept in the audit trail, with whose data it was (the case's client, the
audit event's subject), so that the client's "who looked at my data" page can list them.

- an official opening a case page or downloading one of its files (`case_read_record`): the
  purpose is the case's processing, the institution the case's agency (the staff role it is read
  through);
- the client, a legal representative or a delegate opening the case page or a file
  (`case_read_by_client_record`), on the basis they have;
- an agency's back-office system reading a case through the API (`case_api_read_record`), or a list
  page of cases (`case_api_list_record`: one row per listed case, in one INSERT); the purpose is the
  API client's name. A person's own API reads of a case are kept like their page reads.

A read is kept outside any write transaction: the page or the answer follows at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import audit.services as audit
from delegation.selectors import basis_for
from kernel.actors import Actor
from kernel.constants import Basis

from ..models import Case

PURPOSE_CASE_PROCESSING = "case_processing"
PURPOSE_API = "api"

ACTION_PAGE = "case.view"
ACTION_FILE = "case.file_view"
ACTION_API = "case.api_read"


def _party_type(field: str) -> str:
    return Case._meta.get_field(field).related_model._meta.label_lower


def _subject(*, person_id, organisation_id) -> dict[str, Any]:
    if person_id:
        return {"subject_type": _party_type("client_person"), "subject_id": person_id}
    if organisation_id:
        return {"subject_type": _party_type("client_organisation"), "subject_id": organisation_id}
    return {}


def _agency(agency) -> dict[str, str]:
    """The institution, in both languages (the page shows the reader's)."""
    return {"agency": agency.name_lv, "agency_en": agency.name_en, "agency_code": agency.code}


def _what(file_name: str) -> dict[str, str]:
    return {"what": "file", "file": file_name[:200]} if file_name else {"what": "case"}


def case_read_record(*, actor: Actor, case: Case, file_name: str = "") -> None:
    """An official opened this case's page (or downloaded `file_name` of it), processing the case."""
    audit.record(
        action=ACTION_FILE if file_name else ACTION_PAGE,
        actor=actor,
        acting_for=case.client,  # as before the subject existed: the trail's events about a party
        target=case,
        subject=case.client,
        reason=f"case processing: {case.number}",
        data={
            "number": case.number,
            **_what(file_name),
            "reader": audit.Reader.OFFICIAL,
            **_agency(case.service.agency),
            "purpose": PURPOSE_CASE_PROCESSING,
        },
    )


def case_read_by_client_record(*, actor: Actor, case: Case, file_name: str = "") -> None:
    """The client, or someone who acts for them, opened the case page (or downloaded a file)."""
    client = case.client
    basis = basis_for(user=actor.user, client=client) or Basis.SELF
    audit.record(
        action=ACTION_FILE if file_name else ACTION_PAGE,
        actor=actor,
        acting_for=client,
        target=case,
        subject=client,
        data={
            "number": case.number,
            **_what(file_name),
            "reader": audit.Reader.CLIENT,
            "basis": str(basis),
        },
    )


def _api_read(
    actor: Actor, *, case_id, number, person_id, organisation_id, via: str, agency_id=None
) -> dict[str, Any]:
    client = actor.api_client
    if client is not None:  # an agency's system reads only its own agency's cases
        agency_id = client.agency_id
    if client is None:  # a person with their session: their own (or their principal's) case
        data = {"number": number, "what": "case", "reader": audit.Reader.CLIENT, "via": via}
        reason = ""
    else:
        data = {
            "number": number,
            "what": "case",
            "reader": audit.Reader.AGENCY_SYSTEM,
            **_agency(client.agency),
            "purpose": PURPOSE_API,
            "api_client": client.name,
            "via": via,
        }
        reason = client.name
    return {
        "object_type": Case._meta.label_lower,
        "object_id": case_id,
        **_subject(person_id=person_id, organisation_id=organisation_id),
        "reason": reason,
        "data": data,
        "agency_id": agency_id,
    }


def _fields(case: Case | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(case, Case):
        return {
            "case_id": case.pk,
            "number": case.number,
            "person_id": case.client_person_id,
            "organisation_id": case.client_organisation_id,
            # as loaded (the API's lists defer it; an agency's system gives its own agency instead)
            "agency_id": None if "agency_id" in case.get_deferred_fields() else case.agency_id,
        }
    return {  # a row of selectors.case_detail_rows_for_agency
        "case_id": case["case__id"],
        "number": case["case__number"],
        "person_id": case["case__client_person_id"],
        "organisation_id": case["case__client_organisation_id"],
    }


def case_api_read_record(*, actor: Actor, case: Case | Mapping[str, Any]) -> None:
    """GET /api/v1/cases/{number}/ answered this case (a Case, or the API's row of it): one INSERT."""
    read = _api_read(actor, via="detail", **_fields(case))
    if actor.api_client is None and actor.user is not None:
        read["data"]["basis"] = str(
            basis_for(user=actor.user, client=case.client if isinstance(case, Case) else None) or Basis.SELF
        )
    audit.record_reads(action=ACTION_API, actor=actor, reads=[read])


def case_api_list_record(*, actor: Actor, cases: Iterable[Case]) -> int:
    """A list page of the API answered these cases (an agency's system): one row each, one INSERT."""
    return audit.record_reads(
        action=ACTION_API, actor=actor, reads=[_api_read(actor, via="list", **_fields(c)) for c in cases]
    )
