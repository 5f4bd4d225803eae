"""The Actor: who acts now, built once at the edge (a view, the API's authentication, a task or a
command) and passed to services instead of a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .constants import Basis, Channel, assurance_at_least


@dataclass(frozen=True, slots=True)
class Actor:
    """`user` or `api_client` (or neither: the system, e.g. a beat task), the `principal` acted for
    (a Person or an Organisation; None when the actor acts for nobody in particular, e.g. staff at
    work) and the `basis` of doing so. `scope` is the set of service codes a delegation covers
    (None: not limited). `centre_id` is the one-stop centre where the actor works this session."""

    user: Any = None
    api_client: Any = None
    principal: Any = None
    basis: str = Basis.SELF
    channel: str = Channel.E_SERVICE
    assurance: str | None = None
    centre_id: int | None = None
    ip: str | None = None
    scope: frozenset[str] | None = None
    system_label: str = field(default="")

    @classmethod
    def system(cls, label: str, *, channel: str = Channel.AGENCY) -> Actor:
        """A task or a command acting on nobody's behalf."""
        return cls(channel=channel, system_label=label)

    @property
    def user_or_none(self):
        """The user to store as "who" (None for an API client or the system)."""
        user = self.user
        return user if user is not None and getattr(user, "is_authenticated", False) else None

    @property
    def label(self) -> str:
        """A short name for history rows when there is no user: the API client or the system."""
        if not self.system_label and self.api_client is not None:
            return str(self.api_client)[:120]
        return self.system_label[:120]

    def has_assurance(self, minimum: str) -> bool:
        return assurance_at_least(self.assurance, minimum)
