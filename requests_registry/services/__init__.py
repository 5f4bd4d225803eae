"""Writes of the request registry, by topic; every write takes the Actor, is one transaction with
its history row and its audit event, and enqueues notifications on commit.

- submission: filing cases (e-service, one-stop centre, authorised e-service) and registering
  cases received on other channels
- pipeline: the status pipeline and the actions that move a case
- results: result documents and the client's status notices
- consultations: consultations and feedback
- reads: reads of a client's case kept in the audit trail (officials, the client's side, the API)
- thresholds: services' satisfaction thresholds, set by agency admins and evaluated by beat
"""

from .consultations import consultation_register, feedback_give_for_case, feedback_give_for_consultation
from .pipeline import (
    case_answer_info,
    case_assign,
    case_change_status,
    case_payment_received,
    case_request_info,
    case_withdraw,
)
from .reads import (
    case_api_list_record,
    case_api_read_record,
    case_read_by_client_record,
    case_read_record,
)
from .results import (
    case_attach_result,
    case_notifications_missing,
    case_notifications_resend_missing,
    case_notify_client_send,
)
from .submission import (
    AUTHORISED_FILING_REFUSALS,
    case_open_for_subject,
    case_register_received,
    case_submit,
    case_validate_form,
)
from .thresholds import (
    satisfaction_threshold_remove,
    satisfaction_threshold_set,
    satisfaction_thresholds_evaluate,
)

__all__ = [
    "AUTHORISED_FILING_REFUSALS",
    "case_api_list_record",
    "case_api_read_record",
    "case_answer_info",
    "case_assign",
    "case_attach_result",
    "case_change_status",
    "case_notify_client_send",
    "case_notifications_missing",
    "case_notifications_resend_missing",
    "case_open_for_subject",
    "case_payment_received",
    "case_read_by_client_record",
    "case_read_record",
    "case_register_received",
    "case_request_info",
    "case_submit",
    "case_validate_form",
    "case_withdraw",
    "consultation_register",
    "feedback_give_for_case",
    "feedback_give_for_consultation",
    "satisfaction_threshold_remove",
    "satisfaction_threshold_set",
    "satisfaction_thresholds_evaluate",
]
