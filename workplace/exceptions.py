"""The workplace's refusals, in the kernel's DomainError vocabulary (each with a code and an HTTP
status; the pages put them on their forms): visits and profiles, the authorised e-service, hand-overs
and escalations."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, Invalid, NotFound, PermissionDenied


class VisitNotFound(NotFound):
    code = "workplace.visit_not_found"
    default_message = _("No such client visit of yours.")


class ClientNotFound(NotFound):
    code = "workplace.client_not_found"
    default_message = _("No person or organisation with this code was found.")


class IdentityCheckInvalid(Invalid):
    code = "workplace.identity_check_invalid"
    default_message = _("Record how the client's identity was checked.")


class PurposeMissing(Invalid):
    code = "workplace.purpose_missing"
    default_message = _("Say why you open the client's profile.")


class FilingNotFound(NotFound):
    code = "workplace.filing_not_found"
    default_message = _("No such authorised e-service of yours.")


class FilingRefused(PermissionDenied):
    """Reg. 401 points 2.6 and 22.1: this authorised e-service may not be filed (the reason says why)."""

    code = "workplace.filing_refused"
    default_message = _("This authorised e-service may not be filed.")


class FilingStepNotAllowed(ActionNotAllowed):
    code = "workplace.filing_step_not_allowed"
    default_message = _("This step cannot be done now: the steps are done in order, each once.")


class HandoverNotFound(NotFound):
    """Missing, or not handed to the asker: one answer for both."""

    code = "handover-not-found"
    default_message = _("No such hand-over.")


class HandoverItemNotFound(NotFound):
    """The case, consultation or visit is missing, or the sender may not see it."""

    code = "handover-item-not-found"
    default_message = _("No such case, consultation or visit.")


class HandoverInvalid(Invalid):
    """The receiver or the note is not right; `field_errors` say which."""

    code = "handover-invalid"


class HandoverNotWaiting(ActionNotAllowed):
    """Accepted already (by the asker or someone else)."""

    code = "handover-not-waiting"
    default_message = _("This hand-over has been accepted already.")


class EscalationNotFound(NotFound):
    """Missing, or not one the asker supervises: one answer for both."""

    code = "escalation-not-found"
    default_message = _("No such escalation.")


class EscalationClosed(ActionNotAllowed):
    """Reassigned already (by the asker or another supervisor)."""

    code = "escalation-closed"
    default_message = _("This escalation has been reassigned already.")


class EscalationAssigneeInvalid(Invalid):
    """The chosen person is not staff of the case's agency nor a specialist of its centre."""

    code = "escalation-assignee-invalid"
    default_message = _("Choose a staff member of the agency or a specialist of the centre.")
