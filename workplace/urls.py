from django.urls import path

from .views import escalations, filing, handovers, paper, start, visits

app_name = "workplace"

urlpatterns = [
    path("", start.start_view, name="start"),
    path("visits/new/", visits.visit_new_view, name="visit-new"),
    path("visits/<int:pk>/", visits.visit_view, name="visit"),
    path("visits/<int:pk>/end/", visits.visit_end_view, name="visit-end"),
    path("visits/<int:pk>/profile/", visits.profile_view, name="profile"),
    path("visits/<int:pk>/file/", filing.filing_start_view, name="filing-start"),
    path("visits/<int:pk>/paper/", paper.paper_case_view, name="paper-case"),
    path("clients/", visits.agency_profile_view, name="agency-profile"),
    path("filings/<int:pk>/", filing.filing_view, name="filing"),
    path("filings/<int:pk>/authorisation.pdf", filing.authorisation_pdf_view, name="filing-authorisation"),
    path("filings/<int:pk>/scan/", filing.filing_scan_view, name="filing-scan"),
    path("filings/<int:pk>/receipt.pdf", filing.filing_receipt_pdf_view, name="filing-receipt"),
    path("handovers/", handovers.handover_queue_view, name="handovers"),
    path("handovers/new/", handovers.handover_new_view, name="handover-new"),
    path("handovers/<int:pk>/accept/", handovers.handover_accept_view, name="handover-accept"),
    path("escalations/", escalations.escalation_list_view, name="escalations"),
    path("escalations/<int:pk>/reassign/", escalations.escalation_reassign_view, name="escalation-reassign"),
]
