from django.urls import path, re_path

from . import urls_audit_log, urls_editor, urls_eform_builder, urls_statistics, views

app_name = "catalogue"

CODE = r"(?P<code>[0-9]{4,6})"

urlpatterns = [
    path("", views.catalogue_index, name="index"),
    path("category/<slug:slug>/", views.category_detail, name="category"),
    path("life-event/<slug:code>/", views.life_event_detail, name="life-event"),
    re_path(rf"^{CODE}/$", views.service_detail, name="service-detail"),
    path("manage/", views.manage_list, name="manage-list"),
    path("manage/new/", views.manage_create, name="manage-create"),
    re_path(rf"^manage/{CODE}/edit/$", views.manage_edit, name="manage-edit"),
    re_path(rf"^manage/{CODE}/preview/$", views.manage_preview, name="manage-preview"),
    re_path(rf"^manage/{CODE}/publish/$", views.manage_publish, name="manage-publish"),
    re_path(rf"^manage/{CODE}/withdraw/$", views.manage_withdraw, name="manage-withdraw"),
    re_path(rf"^manage/{CODE}/discard/$", views.manage_discard, name="manage-discard"),
    re_path(rf"^manage/{CODE}/history/$", views.manage_history, name="manage-history"),
    re_path(
        r"^manage/agencies/(?P<agency_code>[^/]{1,20})/settings/$",
        views.agency_settings,
        name="agency-settings",
    ),
    *urls_editor.urlpatterns,
    *urls_eform_builder.urlpatterns,
    *urls_audit_log.urlpatterns,
    *urls_statistics.urlpatterns,
]
