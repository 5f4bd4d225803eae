from django.urls import path

from . import urls_organisations
from .views import requests, staff

app_name = "access_rights"

urlpatterns = [
    path("", staff.home_view, name="home"),
    path("requests/", requests.request_list_view, name="request-list"),
    path("requests/new/", requests.request_new_view, name="request-new"),
    path("requests/<int:pk>/", requests.request_detail_view, name="request-detail"),
    path("requests/<int:pk>/approve/", requests.request_approve_view, name="request-approve"),
    path("requests/<int:pk>/refuse/", requests.request_refuse_view, name="request-refuse"),
    path("requests/<int:pk>/document/", requests.request_document_view, name="request-document"),
    path("staff/", staff.staff_view, name="staff"),
    path("staff/<int:pk>/revoke/", staff.staff_revoke_view, name="staff-revoke"),
    path("register/", staff.register_view, name="register"),
    path("register/history/", staff.register_history_view, name="register-history"),
    path("review/", staff.review_view, name="review"),
    *urls_organisations.urlpatterns,
]
