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


def service_preparer_ids(service) -> set:
    """The users who prepared the service's unpublished changes (`Service.preparers`)."""
    return {p.get("id") for p in (service.preparers or []) if isinstance(p, dict) and p.get("id") is not None}


def service_publish_by_allowed(service, user, *, four_eyes: bool) -> bool:
    """May this user (one who may edit the service: permissions.service_may_edit) publish its changes?

    Without four eyes, yes. With four eyes (the agency's `four_eyes_publishing`), not one of the users
    who prepared the changes: a second administrator reads and publishes them. Changes with no
    preparer recorded (e.g. a withdrawn service published again as it was) need no second reader;
    an unknown user (no one to tell apart from the preparers) may not publish under four eyes.
    """
    if not four_eyes:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.pk not in service_preparer_ids(service)
