"""Writes of the workplace, by topic (every name re-exported here): `visits` (serving a client, the
profile look), `authorised_filing` (Reg. 401 point 22.1, step by step), `handovers`, `escalations`."""

from .authorised_filing import (
    REFUSALS,
    authorised_filing_case_status_changed,
    filing_authorisation_printed,
    filing_file,
    filing_form_enter,
    filing_planned_told,
    filing_refusal,
    filing_result_notice_choose,
    filing_scan_attach,
    filing_signed,
    filing_specialist_identify,
    filing_start,
)
from .escalations import escalation_reassign, escalations_raise
from .handovers import handover_accept, handover_create
from .paper import PAPER_CHANNELS, paper_case_register
from .visits import profile_look_record, visit_end, visit_start

__all__ = [
    "PAPER_CHANNELS",
    "paper_case_register",
    "escalation_reassign",
    "escalations_raise",
    "handover_accept",
    "handover_create",
    "REFUSALS",
    "authorised_filing_case_status_changed",
    "filing_authorisation_printed",
    "filing_file",
    "filing_form_enter",
    "filing_planned_told",
    "filing_refusal",
    "filing_result_notice_choose",
    "filing_scan_attach",
    "filing_signed",
    "filing_specialist_identify",
    "filing_start",
    "profile_look_record",
    "visit_end",
    "visit_start",
]
