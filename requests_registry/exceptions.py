"""Errors the registry's services and selectors raise; views and the API translate them."""

from django.utils.translation import gettext as _


class RegistryError(Exception):
    pass


class CaseNotFound(RegistryError):
    """Missing, not yours, or a malformed number: the same answer for all three."""


class ConsultationNotFound(RegistryError):
    pass


class ServiceNotAvailable(RegistryError):
    """The service is not published, not an e-service, or not for this kind of client."""

    def __init__(self, message: str = ""):
        super().__init__(message or _("This service cannot be applied for here."))
        self.message = message or _("This service cannot be applied for here.")


class InvalidTransition(RegistryError):
    def __init__(self, current: str, requested: str):
        self.current = current
        self.requested = requested
        super().__init__(self.message)

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


class CaseValidationError(RegistryError):
    """Field errors of an e-form submission: {field name: [messages]} (key "__all__" for the form)."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(str(errors))


class NotAllowed(RegistryError):
    """The actor may not do this (e.g. withdraw after the work has started, feedback twice)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
