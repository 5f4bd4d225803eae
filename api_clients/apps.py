from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiClientsConfig(AppConfig):
    """Back-office systems that call the APIs (the case API now, the payment API next): their keys,
    the Idempotency-Key records of their writes, and the DRF glue every API of ours shares."""

    name = "api_clients"
    verbose_name = _("API clients")
