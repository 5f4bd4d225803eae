"""May this happen now? One predicate per action of the workplace, by topic: `filing` (visits and the
authorised e-service), `handovers`, `escalations` (every name re-exported here)."""

from .escalations import (
    escalation_assignee_allowed,
    escalation_open,
    escalation_reassign_allowed,
    escalation_supervised_by,
)
from .filing import (
    filing_authorisation_printable,
    filing_held_by,
    filing_receipt_printable,
    filing_step_allowed,
    visit_held_by,
)
from .handovers import (
    handover_accept_allowed,
    handover_assigns_case,
    handover_case_visible,
    handover_colleague_allowed,
    handover_consultation_visible,
    handover_is_receiver,
    handover_second_level_allowed,
    handover_targets_allowed,
    handover_visit_visible,
)

__all__ = [
    "escalation_assignee_allowed",
    "escalation_open",
    "escalation_reassign_allowed",
    "escalation_supervised_by",
    "handover_accept_allowed",
    "handover_assigns_case",
    "handover_case_visible",
    "handover_colleague_allowed",
    "handover_consultation_visible",
    "handover_is_receiver",
    "handover_second_level_allowed",
    "handover_targets_allowed",
    "handover_visit_visible",
    "filing_authorisation_printable",
    "filing_held_by",
    "filing_receipt_printable",
    "filing_step_allowed",
    "visit_held_by",
]
