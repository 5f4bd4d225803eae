from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = _("Delegations and representation")

    def ready(self) -> None:
        from catalogue.viewer import viewer_provider_register

        from .catalogue_viewer import catalogue_viewer

        viewer_provider_register(catalogue_viewer)
