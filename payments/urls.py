from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.invoice_list_view, name="invoice-list"),
    path("<int:pk>/", views.invoice_detail_view, name="invoice-detail"),
    path("<int:pk>/pdf/", views.invoice_pdf_view, name="invoice-pdf"),
]
