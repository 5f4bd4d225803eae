"""Escalations: who supervises one, whether it may be reassigned now, and to whom. Pure predicates over
facts the caller read once (the user's administered centres and agencies, the assignee's roles): the
service asks them after locking the row, the list page shows its forms from the same calls."""

from __future__ import annotations

from collections.abc import Collection


def escalation_supervised_by(escalation, *, centre_ids: Collection[int], agency_ids: Collection[int]) -> bool:
    """A supervisor of the escalation: an admin of its centre (centre_admin) or of its agency
    (agency_admin); `centre_ids` and `agency_ids` are the ones the user administers."""
    return (escalation.centre_id is not None and escalation.centre_id in centre_ids) or (
        escalation.agency_id is not None and escalation.agency_id in agency_ids
    )


def escalation_open(escalation) -> bool:
    """Not reassigned yet."""
    return escalation.resolved_at is None


def escalation_reassign_allowed(
    escalation, *, centre_ids: Collection[int], agency_ids: Collection[int]
) -> bool:
    """A supervisor of the escalation may reassign it while it is open."""
    return escalation_open(escalation) and escalation_supervised_by(
        escalation, centre_ids=centre_ids, agency_ids=agency_ids
    )


def escalation_assignee_allowed(
    escalation, *, staff_agency_ids: Collection[int], specialist_centre_ids: Collection[int]
) -> bool:
    """Who may take the escalated item: staff of its agency (agency_staff or agency_admin:
    `staff_agency_ids`) or a specialist of its centre (`specialist_centre_ids`)."""
    return (escalation.agency_id is not None and escalation.agency_id in staff_agency_ids) or (
        escalation.centre_id is not None and escalation.centre_id in specialist_centre_ids
    )
