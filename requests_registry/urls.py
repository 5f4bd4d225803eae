from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views
from .views import receipt as receipt_views

app_name = "requests_registry"

NUMBER = r"(?P<number>[0-9]{4,6}-[0-9]{7})"

urlpatterns = [
    path("", views.my_cases_view, name="my-cases"),
    path("apply/<str:code>/", views.apply_view, name="apply"),
    path("consultations/", views.my_consultations_view, name="my-consultations"),
    path("consultations/<int:pk>/", views.consultation_detail_view, name="consultation-detail"),
    path("consultations/<int:pk>/feedback/", views.consultation_feedback_view, name="consultation-feedback"),
    # the inbox moved to the e-account
    path("inbox/", RedirectView.as_view(pattern_name="eaccount:inbox", permanent=True, query_string=True)),
    # agency staff
    path("agency/", views.agency_case_list_view, name="agency-case-list"),
    path("agency/consultations/new/", views.consultation_new_view, name="consultation-new"),
    path("agency/thresholds/", views.satisfaction_thresholds_view, name="thresholds"),
    path("agency/thresholds/<str:code>/", views.satisfaction_threshold_edit_view, name="threshold-edit"),
    re_path(rf"^agency/{NUMBER}/$", views.agency_case_detail_view, name="agency-case-detail"),
    re_path(rf"^agency/{NUMBER}/take/$", views.agency_case_take_view, name="agency-case-take"),
    re_path(rf"^agency/{NUMBER}/status/$", views.agency_case_status_view, name="agency-case-status"),
    re_path(
        rf"^agency/{NUMBER}/request-info/$",
        views.agency_case_request_info_view,
        name="agency-case-request-info",
    ),
    re_path(rf"^agency/{NUMBER}/result/$", views.agency_case_result_view, name="agency-case-result"),
    re_path(
        rf"^agency/{NUMBER}/receipt/$", receipt_views.agency_case_receipt_view, name="agency-case-receipt"
    ),
    re_path(
        rf"^agency/{NUMBER}/receipt\.pdf$",
        receipt_views.agency_case_receipt_pdf_view,
        name="agency-case-receipt-pdf",
    ),
    re_path(
        rf"^agency/{NUMBER}/files/(?P<attachment_id>[0-9]{{1,12}})/$",
        views.agency_case_file_view,
        name="agency-case-file",
    ),
    # citizens
    re_path(rf"^{NUMBER}/$", views.case_detail_view, name="case-detail"),
    re_path(rf"^{NUMBER}/withdraw/$", views.case_withdraw_view, name="case-withdraw"),
    re_path(rf"^{NUMBER}/answer/$", views.case_answer_view, name="case-answer"),
    re_path(rf"^{NUMBER}/feedback/$", views.case_feedback_view, name="case-feedback"),
    re_path(rf"^{NUMBER}/receipt/$", receipt_views.case_receipt_view, name="case-receipt"),
    re_path(rf"^{NUMBER}/receipt\.pdf$", receipt_views.case_receipt_pdf_view, name="case-receipt-pdf"),
    re_path(rf"^{NUMBER}/files/(?P<attachment_id>[0-9]{{1,12}})/$", views.case_file_view, name="case-file"),
]
