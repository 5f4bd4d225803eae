from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from requests_registry import case_events, case_panels

        from . import case_flow

        case_events.case_submitted_handler_register(case_flow.on_case_submitted)
        case_events.case_status_changed_handler_register(case_flow.on_case_status_changed)
        case_panels.case_panel_provider_register(case_flow.case_panels_for)
