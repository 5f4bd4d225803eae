"""The catalogue's domain errors (kernel's vocabulary)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, PermissionDenied


class EditingNotAllowed(ActionNotAllowed):
    """The editing action does not fit the service's state now (rules.py says which)."""

    code = "catalogue.editing_not_allowed"
    default_message = _("This cannot be done to the service in its present state.")


class PublishNeedsSecondAdmin(PermissionDenied):
    """Four eyes: the agency wants a change published by an administrator who did not prepare it."""

    code = "service.publish_needs_second_admin"
    default_message = _(
        "This agency requires a second administrator to publish changes: you prepared these "
        "changes, so another administrator of the agency must review and publish them."
    )
