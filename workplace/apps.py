from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplaceConfig(AppConfig):
    name = "workplace"
    verbose_name = _("One-stop centre workplace")

    def ready(self) -> None:
        from requests_registry.case_events import case_status_changed_handler_register

        from .services.authorised_filing import authorised_filing_case_status_changed

        # the client of an authorised e-service is told the result the way they chose (point 22.1.7)
        case_status_changed_handler_register(authorised_filing_case_status_changed)
