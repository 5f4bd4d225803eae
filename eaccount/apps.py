from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EaccountConfig(AppConfig):
    name = "eaccount"
    verbose_name = _("E-account")

    def ready(self) -> None:
        from catalogue.viewer import editor_facts_provider_register

        from .catalogue_facts import catalogue_editor_facts

        editor_facts_provider_register(catalogue_editor_facts)
