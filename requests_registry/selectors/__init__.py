"""Reads of the request registry, and who may see what, by topic (every name re-exported here):
`cases` (cases, their history, files and feedback), `consultations`, `clients` (one client's
cases and consultations for an official's profile of the client), `receipt` (the receipt of a
filed application) and `api_reads` (the case API's columns and its two-statement read for an
agency's API client)."""

from .api_reads import (
    CASE_FIELDS,
    HISTORY_VALUES,
    case_api_lean,
    case_api_page_query,
    case_detail_rows_for_agency,
)
from .cases import (
    CASE_LIST_RELATED,
    case_agency_ids_for_user,
    case_attachment_get,
    case_attachments,
    case_feedback,
    case_files_for_client,
    case_get_for_agency,
    case_get_for_staff,
    case_get_for_user,
    case_history,
    case_history_and_files,
    case_list_for_agency,
    case_list_for_centre,
    case_list_for_staff,
    case_list_for_user,
    case_number_is_valid,
    case_open_duplicates,
    case_rows,
    case_services_for_user,
    staff_agency_ids,
    staff_services_for,
    status_changes_for_client,
)
from .clients import CLIENT_LIST_LIMIT, cases_of_client, consultations_of_client
from .consultations import (
    consultation_get_for_staff,
    consultation_get_for_user,
    consultation_list_for_staff,
    consultation_list_for_user,
    feedback_for_client,
)
from .escalation import cases_late, consultations_unresolved
from .receipt import (
    Receipt,
    ReceiptField,
    ReceiptFile,
    case_receipt_for_staff,
    case_receipt_for_user,
)

__all__ = [
    "CASE_FIELDS",
    "HISTORY_VALUES",
    "case_api_lean",
    "case_api_page_query",
    "CASE_LIST_RELATED",
    "case_agency_ids_for_user",
    "case_attachment_get",
    "cases_of_client",
    "CLIENT_LIST_LIMIT",
    "consultations_of_client",
    "case_attachments",
    "case_files_for_client",
    "case_detail_rows_for_agency",
    "case_feedback",
    "case_get_for_agency",
    "case_get_for_staff",
    "case_get_for_user",
    "case_history",
    "case_history_and_files",
    "case_list_for_agency",
    "case_list_for_centre",
    "case_list_for_staff",
    "case_list_for_user",
    "case_rows",
    "case_number_is_valid",
    "case_open_duplicates",
    "case_receipt_for_staff",
    "case_receipt_for_user",
    "case_services_for_user",
    "cases_late",
    "consultation_get_for_staff",
    "consultation_get_for_user",
    "consultation_list_for_staff",
    "consultation_list_for_user",
    "consultations_unresolved",
    "feedback_for_client",
    "Receipt",
    "ReceiptField",
    "ReceiptFile",
    "staff_agency_ids",
    "staff_services_for",
    "status_changes_for_client",
]
