from django.urls import include, path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.invoice_list_view, name="invoice-list"),
    path("<int:pk>/", views.invoice_detail_view, name="invoice-detail"),
    path("<int:pk>/pdf/", views.invoice_pdf_view, name="invoice-pdf"),
    path("<int:pk>/pay/", views.invoice_pay_view, name="invoice-pay"),
    path("sandbox-bank/<str:session_id>/", views.sandbox_bank_view, name="sandbox-bank"),
    path("gateway/<slug:code>/notify/", views.gateway_notify_view, name="gateway-notify"),
    path("finance/", include("payments.urls_finance")),
]
