from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessRightsConfig(AppConfig):
    name = "access_rights"
    verbose_name = _("Access rights")
