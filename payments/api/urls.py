"""The payments API (agencies' finance systems): invoices and their payments."""

from django.urls import path

from . import views

app_name = "payments_api"

urlpatterns = [
    path("invoices/<str:reference>/", views.InvoiceDetailView.as_view(), name="invoice-detail"),
    path(
        "invoices/<str:reference>/payments/",
        views.InvoicePaymentView.as_view(),
        name="invoice-payments",
    ),
]
