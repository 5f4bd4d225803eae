from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsRegistryConfig(AppConfig):
    name = "requests_registry"
    verbose_name = _("Request registry")
