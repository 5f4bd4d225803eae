"""Who is looking at the catalogue, and who may edit it: facts the catalogue learns from the apps
above it through providers they register in `AppConfig.ready()` — never by reading their objects.

- the viewer provider (registered by delegation) turns a page request into a `Viewer`: the
  audiences, the municipality of the person acted for, whether a minor is acted for, officials;
- the editor-facts provider (registered by eaccount) says of a user whether they are an official,
  a platform admin, and which agencies they administer.
Without a provider (a project that does not install those apps) everyone is anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import selectors
from .selectors import Viewer


@dataclass(frozen=True)
class EditorFacts:
    is_official: bool = False
    platform_admin: bool = False
    agency_ids: frozenset[int] = frozenset()  # agencies whose catalogue entries the user administers


NOBODY = EditorFacts()

_viewer_provider: Callable[[object], Viewer] | None = None
_editor_facts_provider: Callable[[object], EditorFacts] | None = None


def viewer_provider_register(provider: Callable[[object], Viewer]) -> None:
    global _viewer_provider
    _viewer_provider = provider


def editor_facts_provider_register(provider: Callable[[object], EditorFacts]) -> None:
    global _editor_facts_provider
    _editor_facts_provider = provider


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def viewer_from_request(request) -> Viewer:
    """The catalogue's viewer facts for this request (anonymous without a logged-in user)."""
    if _viewer_provider is None or not _authenticated(getattr(request, "user", None)):
        return selectors.ANONYMOUS
    return _viewer_provider(request)


def editor_facts(user) -> EditorFacts:
    """One query at most; a superuser is a platform admin."""
    if not _authenticated(user):
        return NOBODY
    facts = _editor_facts_provider(user) if _editor_facts_provider is not None else NOBODY
    if user.is_superuser:
        return EditorFacts(is_official=True, platform_admin=True, agency_ids=facts.agency_ids)
    return facts


def viewer_is_official(request) -> bool:
    """Only the official flag (the public API shows every public service, plus internal ones to officials)."""
    return editor_facts(getattr(request, "user", None)).is_official
