"""The registry's pages, thin: forms in, one selector or service call, render. By who uses them:
`citizens`, `staff` and `thresholds` (the agency admin's satisfaction thresholds)."""

from .citizens import (
    apply_view,
    case_answer_view,
    case_detail_view,
    case_feedback_view,
    case_file_view,
    case_withdraw_view,
    consultation_detail_view,
    consultation_feedback_view,
    my_cases_view,
    my_consultations_view,
)
from .staff import (
    agency_case_detail_view,
    agency_case_file_view,
    agency_case_list_view,
    agency_case_request_info_view,
    agency_case_result_view,
    agency_case_status_view,
    agency_case_take_view,
    consultation_new_view,
)
from .thresholds import satisfaction_threshold_edit_view, satisfaction_thresholds_view

__all__ = [
    "agency_case_detail_view",
    "agency_case_file_view",
    "agency_case_list_view",
    "agency_case_request_info_view",
    "agency_case_result_view",
    "agency_case_status_view",
    "agency_case_take_view",
    "apply_view",
    "case_answer_view",
    "case_detail_view",
    "case_feedback_view",
    "case_file_view",
    "case_withdraw_view",
    "consultation_detail_view",
    "consultation_feedback_view",
    "consultation_new_view",
    "my_cases_view",
    "my_consultations_view",
    "satisfaction_threshold_edit_view",
    "satisfaction_thresholds_view",
]
