from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EaccountConfig(AppConfig):
    name = "eaccount"
    verbose_name = _("E-account")

    def ready(self) -> None:
        from catalogue.viewer import editor_facts_provider_register

        from .catalogue_facts import catalogue_editor_facts

        editor_facts_provider_register(catalogue_editor_facts)

        from django.db.models.signals import post_delete, post_save

        from .signals import staff_role_changed

        # any door (services, admin, shell): the cached role facts of that user are forgotten
        post_save.connect(staff_role_changed, sender="eaccount.StaffRole", dispatch_uid="staff-role-facts")
        post_delete.connect(
            staff_role_changed, sender="eaccount.StaffRole", dispatch_uid="staff-role-facts-del"
        )
