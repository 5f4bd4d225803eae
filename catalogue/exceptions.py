"""The catalogue's domain errors (kernel's vocabulary)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed


class EditingNotAllowed(ActionNotAllowed):
    """The editing action does not fit the service's state now (rules.py says which)."""

    code = "catalogue.editing_not_allowed"
    default_message = _("This cannot be done to the service in its present state.")
