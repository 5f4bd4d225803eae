from django.urls import path

from . import views

app_name = "requests_registry_api"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<str:number>/", views.CaseDetailView.as_view(), name="case-detail"),
    path(
        "cases/<str:number>/status-changes/",
        views.CaseStatusChangeView.as_view(),
        name="case-status-changes",
    ),
]
