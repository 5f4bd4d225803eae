"""One error vocabulary: services raise a DomainError; the API renders it as problem+json and
`kernel.forms.form_add_domain_error` puts it on any form.

A subclass sets `code` (a stable, dotted machine name), `status` (the HTTP status the API answers)
and a default message; an instance may carry field errors ({field: [messages]}, "__all__" for the
form) and extra members for the problem body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[Any] = _("This cannot be done.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        field_errors: Mapping[str, list] | None = None,
        **extra: Any,
    ):
        self._message = message
        if code:
            self.code = code
        self.field_errors: dict[str, list[str]] = {
            k: [str(m) for m in v] for k, v in (field_errors or {}).items()
        }
        self.extra = extra
        super().__init__(str(message or self.default_message))

    @property
    def message(self) -> str:
        """In the language active when it is read (a lazy message is translated then)."""
        return str(self._message or self.default_message)

    @property
    def problem_type(self) -> str:
        return f"urn:pspp:problem:{self.code}"


class NotFound(DomainError):
    """Missing, not yours, or malformed: one answer for all three."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")

    def __init__(self, *_what: Any, **kwargs: Any):
        # what was looked for is never echoed back: it is the asker's input, and the answer is the
        # same for missing and forbidden
        super().__init__(None, **kwargs)


class PermissionDenied(DomainError):
    """The actor is known and the thing exists, but this actor may not do it (the reason is said)."""

    code = "forbidden"
    status = 403
    default_message = _("You may not do this.")


class ActionNotAllowed(DomainError):
    """The action is not allowed now (the state of the object forbids it)."""

    code = "not_allowed"
    status = 409
    default_message = _("This cannot be done now.")


class Invalid(DomainError):
    """The input is not valid; `field_errors` say where."""

    code = "invalid"
    status = 422
    default_message = _("The data is not valid.")

    def __init__(self, field_errors: Mapping[str, list] | None = None, message: Any = None, **kwargs: Any):
        super().__init__(message, field_errors=field_errors, **kwargs)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.field_errors
