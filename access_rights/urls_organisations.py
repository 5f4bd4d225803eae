"""The platform admin's agencies and one-stop centres pages; included by access_rights/urls.py (under
its app_name "access_rights")."""

from django.urls import path

from .views import organisations

urlpatterns = [
    path("agencies/", organisations.agency_list_view, name="agency-list"),
    path("agencies/new/", organisations.agency_create_view, name="agency-create"),
    path("agencies/<str:code>/", organisations.agency_edit_view, name="agency-edit"),
    path("centres/", organisations.centre_list_view, name="centre-list"),
    path("centres/new/", organisations.centre_create_view, name="centre-create"),
    path("centres/<str:code>/", organisations.centre_edit_view, name="centre-edit"),
]
