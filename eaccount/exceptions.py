"""The e-account's refusals, in the one error vocabulary (kernel.errors)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import DomainError, NotFound, PermissionDenied


class StaffRoleGrantNotAllowed(PermissionDenied):
    """Reg. 401 Annex 2: an admin grants roles within their own agency or centre only; a platform
    admin grants any, and is the only one who grants platform admin."""

    code = "staff_role.grant_not_allowed"
    default_message = _(
        "You may not grant this role: an administrator grants the staff roles of their own agency or "
        "centre only, and not to themselves; admin-level rights are granted by the ministry on a request."
    )


class StaffRoleRevokeNotAllowed(PermissionDenied):
    code = "staff_role.revoke_not_allowed"
    default_message = _(
        "You may not revoke this role: an administrator revokes the staff roles of their own agency or "
        "centre only; admin-level rights are revoked by the ministry on a request."
    )


class ContactsNotFound(NotFound):
    """Contact details of a party the user may not edit: answered as a missing page (whose they are,
    or whether the party exists, is not said)."""

    code = "eaccount.contacts_not_found"


class _ReasonedRefusal(PermissionDenied):
    """A refusal whose page says why (the error page shows a message other than the default)."""

    reason = PermissionDenied.default_message

    def __init__(self, message=None, **kwargs):
        super().__init__(message or self.reason, **kwargs)


class ContactsEditNotAllowed(_ReasonedRefusal):
    code = "eaccount.contacts_edit_not_allowed"
    reason = _(
        "A delegate may not change the contact details or notice choices of the one they act for. "
        "Choose yourself or someone you represent by law at the top of the page."
    )


class ContactsFormStale(_ReasonedRefusal):
    """The form was for another party than the one the user acts for now (another tab changed it)."""

    code = "eaccount.contacts_form_stale"
    reason = _(
        "This form was for someone other than the one you act for now. Nothing was changed: "
        "open your e-account page again and repeat the change."
    )


class EmailConfirmationInvalid(DomainError):
    code = "eaccount.email_confirmation_invalid"
    status = 400
    default_message = _(
        "This confirmation link does not work: it has expired, has been used already, has been "
        "replaced by a newer one, or is not for you. Nothing was changed. Enter the e-mail address "
        "again on your e-account page to get a new link."
    )
