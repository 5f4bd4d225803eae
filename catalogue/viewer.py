"""Who is looking at the catalogue, from a request: the one place that reads it off the user."""

from __future__ import annotations

from . import selectors
from .selectors import Viewer


def viewer_from_request(request) -> Viewer:
    """The one place that turns the request into the catalogue's viewer facts.

    Reads the user model's own attributes (its person, the `staff_roles` related manager) and the
    "acting for" principal the delegation middleware puts on the request, without importing the
    apps above the catalogue.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return selectors.ANONYMOUS
    roles = getattr(user, "staff_roles", None)
    is_official = bool(user.is_superuser or (roles is not None and roles.active().exists()))
    person = getattr(user, "person", None)
    acting_for = getattr(request, "acting_for", None)
    if acting_for is not None and not getattr(acting_for, "is_person", True):
        return Viewer(audiences=frozenset({"organisation"}), municipality_id=None, is_official=is_official)
    subject = getattr(acting_for, "obj", None) if acting_for is not None else person
    audiences = {"person"}
    if person is not None and person.board_memberships.exists():
        audiences.add("organisation")  # a board member may represent the company
    return Viewer(
        audiences=frozenset(audiences),
        municipality_id=getattr(subject, "municipality_id", None),
        is_official=is_official,
    )


def viewer_is_official(request) -> bool:
    """Only the official flag (the public API shows every public service, plus internal ones to officials)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    roles = getattr(user, "staff_roles", None)
    return bool(user.is_superuser or (roles is not None and roles.active().exists()))
