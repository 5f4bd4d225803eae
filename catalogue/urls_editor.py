"""The service editor in sections (included in catalogue.urls, app_name "catalogue")."""

from django.urls import re_path

from . import views_editor

CODE = r"(?P<code>[0-9]{4,6})"
SECTION = r"(?P<section>[a-z_]{1,30})"

urlpatterns = [
    re_path(rf"^manage/{CODE}/sections/$", views_editor.edit_overview, name="edit-overview"),
    re_path(rf"^manage/{CODE}/sections/{SECTION}/$", views_editor.edit_section, name="edit-section"),
]
