from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = _("Delegations and representation")

    def ready(self) -> None:
        from catalogue.viewer import viewer_provider_register

        from .catalogue_viewer import catalogue_viewer

        viewer_provider_register(catalogue_viewer)

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import signals

        for sender, receiver in (
            ("eaccount.ParentChild", signals.parent_link_changed),
            ("eaccount.BoardMembership", signals.board_membership_changed),
            ("eaccount.Person", signals.person_changed),
            ("delegation.Delegation", signals.delegation_changed),
        ):
            post_save.connect(receiver, sender=sender, dispatch_uid=f"principals-save-{sender}")
            post_delete.connect(receiver, sender=sender, dispatch_uid=f"principals-delete-{sender}")
        m2m_changed.connect(
            signals.delegation_changed, sender="delegation.Delegation_services", dispatch_uid="principals-m2m"
        )
