"""What the apps above the registry learn of a case's life, through handlers they register in their
`AppConfig.ready()` (payments issues the prepayment invoice when a case is filed, the postpayment
invoice when it completes, and cancels unpaid invoices of a case that ends otherwise).

A handler runs inside the transaction of the change, after the change is written: what it raises
rolls the change back with it, so a case is never filed without the invoice its service requires.
"""

from __future__ import annotations

from collections.abc import Callable

from kernel.actors import Actor

CaseSubmittedHandler = Callable[..., None]  # (*, actor, case)
CaseStatusChangedHandler = Callable[..., None]  # (*, actor, case, from_status, to_status)

_submitted: list[CaseSubmittedHandler] = []
_status_changed: list[CaseStatusChangedHandler] = []


def case_submitted_handler_register(handler: CaseSubmittedHandler) -> None:
    if handler not in _submitted:
        _submitted.append(handler)


def case_status_changed_handler_register(handler: CaseStatusChangedHandler) -> None:
    if handler not in _status_changed:
        _status_changed.append(handler)


def case_submitted(*, actor: Actor, case) -> None:
    for handler in _submitted:
        handler(actor=actor, case=case)


def case_status_changed(*, actor: Actor, case, from_status: str, to_status: str) -> None:
    for handler in _status_changed:
        handler(actor=actor, case=case, from_status=from_status, to_status=to_status)
