"""The agency's audit log, under the catalogue's editing pages (included by catalogue.urls)."""

from django.urls import path

from . import views_audit_log

urlpatterns = [
    path("manage/audit/", views_audit_log.audit_log_view, name="audit-log"),
]
