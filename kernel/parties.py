"""Parties: a person or an organisation. The models that are parties say which with `party_kind`."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .constants import PartyKind


@runtime_checkable
class Party(Protocol):
    """What a party model declares (eaccount's Person and Organisation)."""

    pk: int
    party_kind: str


def party_kind(party) -> str | None:
    return getattr(party, "party_kind", None) if party is not None else None


def is_person(party) -> bool:
    return party_kind(party) == PartyKind.PERSON


def is_organisation(party) -> bool:
    return party_kind(party) == PartyKind.ORGANISATION


def party_key(party) -> str:
    """`person:12` / `organisation:3`: a stable key for sessions, caches and dedupe keys."""
    return f"{party.party_kind}:{party.pk}"
