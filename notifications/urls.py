from django.urls import path

from . import views, views_agency, views_proactive

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("topics/", views.topics_preview_view, name="topics-preview"),
    path("agency/", views_agency.agency_stats_view, name="agency-stats"),
    path("sms-receipts/", views.sms_receipt_view, name="sms-receipt"),
    path("rules/", views_proactive.rule_list_view, name="proactive-rules"),
    path("rules/new/", views_proactive.rule_create_view, name="proactive-rule-create"),
    path("rules/<int:rule_id>/", views_proactive.rule_edit_view, name="proactive-rule-edit"),
    path(
        "rules/<int:rule_id>/deactivate/",
        views_proactive.rule_deactivate_view,
        name="proactive-rule-deactivate",
    ),
    path("stop/<str:token>/", views_proactive.opt_out_view, name="proactive-stop"),
]
