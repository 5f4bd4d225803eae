"""May this happen now? One predicate per action of the delegation app, asked by the service and
the page alike."""

from __future__ import annotations

from kernel.constants import Basis

# Who may give or end a principal's delegations: the principal themselves or their legal
# representative — never a delegate (a delegation is not passed on).
_MAY_DELEGATE = frozenset({Basis.SELF, Basis.LEGAL_REPRESENTATION})


def delegation_grant_allowed(*, basis: str | None) -> bool:
    return basis in _MAY_DELEGATE


def delegation_revoke_allowed(*, basis: str | None) -> bool:
    return basis in _MAY_DELEGATE
