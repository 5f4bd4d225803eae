"""Errors the registry's services and selectors raise: the kernel's DomainError vocabulary, each
with a code and an HTTP status (the API renders them as problem+json; pages put them on forms)."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, DomainError, Invalid
from kernel.errors import NotFound as _NotFound
from kernel.errors import PermissionDenied as _PermissionDenied


class RegistryError(DomainError):
    code = "registry"
    status = 404
    default_message = _("Not found.")


class CaseNotFound(_NotFound, RegistryError):
    """Missing, not yours, or a malformed number: the same answer for all three."""

    code = "case-not-found"
    default_message = _("No such case.")


class ConsultationNotFound(_NotFound, RegistryError):
    code = "consultation-not-found"
    default_message = _("No such consultation.")


class ServiceNotAvailable(RegistryError):
    """The service is not published, not an e-service, or not for this kind of client."""

    code = "service-not-available"
    status = 422
    default_message = _("This service cannot be applied for here.")


class InvalidTransition(ActionNotAllowed, RegistryError):
    code = "invalid-transition"

    def __init__(self, current: str, requested: str):
        self.current = current
        self.requested = requested
        super().__init__(None, current=current, requested=requested)

    @property
    def message(self) -> str:
        from .constants import CaseStatus

        def label(value: str) -> str:
            try:
                return str(CaseStatus(value).label)
            except ValueError:
                return value

        return _("A case cannot move from “%(current)s” to “%(requested)s”.") % {
            "current": label(self.current),
            "requested": label(self.requested),
        }


class CaseValidationError(Invalid, RegistryError):
    """Field errors of an e-form submission: {field name: [messages]} (key "__all__" for the form)."""

    code = "case-validation"
    default_message = _("The case data is not valid.")


class NotAllowed(ActionNotAllowed, RegistryError):
    """The action is not allowed now (e.g. withdraw after the work has started, feedback twice)."""

    code = "not-allowed"


class ActorNotAllowed(_PermissionDenied, RegistryError):
    """This actor may not do it at all (not the client's representative, not the centre's specialist)."""

    code = "actor-not-allowed"


class OpenCaseExists(NotAllowed):
    """A one-off service: the subject already has an open case of it."""

    code = "open-case-exists"

    def __init__(self, message, *, open_case_number: str, visible: bool):
        self.open_case_number = open_case_number if visible else ""
        super().__init__(message)
        if visible:
            self.extra["open_case"] = open_case_number
