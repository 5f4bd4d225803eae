"""The e-form builder's pages, under /services/manage/<code>/eform/ (included by catalogue.urls)."""

from django.urls import re_path

from . import views_eform_builder as views

CODE = r"(?P<code>[0-9]{4,6})"
NAME = r"(?P<name>[a-z][a-z0-9_]{0,49})"

urlpatterns = [
    re_path(rf"^manage/{CODE}/eform/$", views.eform_builder_page, name="eform-builder"),
    re_path(rf"^manage/{CODE}/eform/{NAME}/$", views.eform_field_edit, name="eform-field-edit"),
    re_path(rf"^manage/{CODE}/eform/{NAME}/move/$", views.eform_field_move, name="eform-field-move"),
    re_path(rf"^manage/{CODE}/eform/{NAME}/remove/$", views.eform_field_remove, name="eform-field-remove"),
]
