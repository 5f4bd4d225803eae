"""The errors of access rights (the project's one vocabulary: kernel.errors)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, PermissionDenied


class AccessRequestNotAllowed(PermissionDenied):
    code = "access_request.submit_not_allowed"
    default_message = _("You may submit a request only for the agency or one-stop centre you work for.")


class AccessRequestDecisionNotAllowed(PermissionDenied):
    code = "access_request.decide_not_allowed"
    default_message = _(
        "Only the ministry's platform administrator decides a request, and never one they submitted or "
        "that names them."
    )


class AccessRequestDecided(ActionNotAllowed):
    code = "access_request.decided"
    default_message = _("This request has been decided already.")
