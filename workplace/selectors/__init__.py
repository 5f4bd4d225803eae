"""Reads of the workplace, by topic (every name re-exported here): `filing` (visits and authorised
e-services, for the specialist who holds them), `profile` (the 360 client profile), `handovers`
(queues), `escalations` (the supervisors' list)."""

from .escalations import (
    escalation_assignees,
    escalation_assignees_for,
    escalation_get_for_supervisor,
    escalations_for_supervisor,
    supervisors_of,
    user_is_supervisor,
)
from .filing import (
    client_get_by_code,
    filing_form_rows,
    filing_get_for_specialist,
    filings_of_client,
    filings_of_visit,
    service_for_authorised_filing,
    services_for_authorised_filing,
    services_for_paper,
    visit_get_for_specialist,
    visits_open_of,
)
from .handovers import (
    handover_get_for_receiver,
    handovers_sent_by,
    handovers_waiting_count,
    handovers_waiting_for,
)
from .profile import client_profile

__all__ = [
    "client_get_by_code",
    "escalation_assignees",
    "escalation_assignees_for",
    "escalation_get_for_supervisor",
    "escalations_for_supervisor",
    "supervisors_of",
    "user_is_supervisor",
    "handover_get_for_receiver",
    "handovers_sent_by",
    "client_profile",
    "handovers_waiting_count",
    "handovers_waiting_for",
    "filing_form_rows",
    "filing_get_for_specialist",
    "filings_of_client",
    "filings_of_visit",
    "service_for_authorised_filing",
    "services_for_authorised_filing",
    "services_for_paper",
    "visit_get_for_specialist",
    "visits_open_of",
]
