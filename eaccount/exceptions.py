"""The e-account's refusals, in the one error vocabulary (kernel.errors)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import PermissionDenied


class StaffRoleGrantNotAllowed(PermissionDenied):
    """Reg. 401 Annex 2: an admin grants roles within their own agency or centre only; a platform
    admin grants any, and is the only one who grants platform admin."""

    code = "staff_role.grant_not_allowed"
    default_message = _(
        "You may not grant this role: an administrator grants roles of their own agency or centre only."
    )


class StaffRoleRevokeNotAllowed(PermissionDenied):
    code = "staff_role.revoke_not_allowed"
    default_message = _(
        "You may not revoke this role: an administrator revokes roles of their own agency or centre only."
    )
