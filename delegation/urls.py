from django.urls import path

from . import views

app_name = "delegation"

urlpatterns = [
    path("", views.delegations_view, name="delegations"),
    path("act-for/", views.act_for_view, name="act-for"),
    path("<int:pk>/revoke/", views.delegation_revoke_view, name="delegation-revoke"),
]
