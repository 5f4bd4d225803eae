"""Writes of the request registry, by topic; every write takes the Actor, is one transaction with
its history row and its audit event, and enqueues notifications on commit.

- submission: filing cases (e-service, one-stop centre, authorised e-service) and registering
  cases received on other channels
- pipeline: the status pipeline and the actions that move a case
- results: result documents and the client's status notices
- consultations: consultations and feedback
"""

from .consultations import consultation_register, feedback_give_for_case, feedback_give_for_consultation
from .pipeline import (
    case_answer_info,
    case_assign,
    case_change_status,
    case_record_staff_look,
    case_request_info,
    case_withdraw,
)
from .results import case_attach_result, case_notify_client_send
from .submission import case_open_for_subject, case_register_received, case_submit, case_validate_form

__all__ = [
    "case_answer_info",
    "case_assign",
    "case_attach_result",
    "case_change_status",
    "case_notify_client_send",
    "case_open_for_subject",
    "case_record_staff_look",
    "case_register_received",
    "case_request_info",
    "case_submit",
    "case_validate_form",
    "case_withdraw",
    "consultation_register",
    "feedback_give_for_case",
    "feedback_give_for_consultation",
]
