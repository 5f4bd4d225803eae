"""May this editing action happen now? One predicate per action, asked by the service (after it
locks the row) and by the editing pages (to offer the button). Who may edit at all is
`permissions.service_may_edit`."""

from __future__ import annotations

from .constants import ServiceState


def service_publish_allowed(service) -> bool:
    """A draft or a withdrawn service, or a public one with unpublished changes."""
    return service.state != ServiceState.PUBLISHED or service.pending is not None


def service_withdraw_allowed(service) -> bool:
    return service.state == ServiceState.PUBLISHED


def service_discard_allowed(service) -> bool:
    """Unpublished changes exist (a draft's edits are its content: nothing to discard)."""
    return service.pending is not None
