from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBaseConfig(AppConfig):
    name = "knowledge_base"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from catalogue.service_page import service_page_panels_provider_register

        from .panels import service_page_faq_panels

        # the public FAQ on the catalogue's service page (catalogue sits below us: a provider, no import)
        service_page_panels_provider_register(service_page_faq_panels)
