"""The catalogue's viewer facts for a page request (registered in DelegationConfig.ready): whom the
user acts for decides which services are offered."""

from __future__ import annotations

from catalogue.selectors import Viewer
from catalogue.viewer import editor_facts
from eaccount.catalogue_facts import person_may_represent_organisations
from kernel.parties import is_organisation


def catalogue_viewer(request) -> Viewer:
    actor = request.actor
    is_official = editor_facts(actor.user).is_official
    principal = actor.principal
    if is_organisation(principal):
        return Viewer(audiences=frozenset({"organisation"}), municipality_id=None, is_official=is_official)
    person = getattr(actor.user, "person", None)
    audiences = {"person"}
    if person is not None and person_may_represent_organisations(person=person):
        audiences.add("organisation")  # a board member may represent the company
    subject = principal if principal is not None else person
    return Viewer(
        audiences=frozenset(audiences),
        municipality_id=getattr(subject, "municipality_id", None),
        is_official=is_official,
        for_minor=bool(
            principal is not None and principal is not person and getattr(principal, "is_minor", False)
        ),
    )
