"""The payee agency's finance staff: bank statements, unmatched credits, overpaid invoices
(included at /payments/finance/ in the `payments` namespace)."""

from django.urls import path

from . import views_finance as views

urlpatterns = [
    path("", views.statement_list_view, name="finance-statements"),
    path("statements/upload/", views.statement_upload_view, name="finance-statement-upload"),
    path("statements/<int:pk>/", views.statement_detail_view, name="finance-statement-detail"),
    path("unmatched/", views.unmatched_list_view, name="finance-unmatched"),
    path("transactions/<int:pk>/", views.transaction_detail_view, name="finance-transaction"),
    path("transactions/<int:pk>/assign/", views.transaction_assign_view, name="finance-transaction-assign"),
    path(
        "transactions/<int:pk>/not-ours/",
        views.transaction_not_ours_view,
        name="finance-transaction-not-ours",
    ),
    path("overpaid/", views.overpaid_list_view, name="finance-overpaid"),
    path("overpaid/<int:pk>/settle/", views.overpaid_settle_view, name="finance-overpaid-settle"),
]
