"""May this step of the authorised e-service (Reg. 401 point 22.1) or of a visit happen now?

Pure predicates: they read only what they are given, so a page may ask them for every row it shows.
"""

from __future__ import annotations

from kernel.actors import Actor
from kernel.constants import AssuranceLevel

from ..constants import FilingStep


def visit_held_by(visit, *, user_id: int | None) -> bool:
    """The visit is this specialist's and still open: its client's data is theirs to serve."""
    return user_id is not None and visit.specialist_id == user_id and visit.ended_at is None


def filing_held_by(filing, *, user_id: int | None) -> bool:
    return user_id is not None and filing.specialist_id == user_id


def filing_step_allowed(filing, *, step: int, actor: Actor) -> bool:
    """Each step only in its turn (none skipped, none done twice), by the specialist who started the
    filing; from step 2 on only on a session of the high level of assurance (a qualified eID)."""
    if not filing_held_by(filing, user_id=getattr(actor.user_or_none, "pk", None)):
        return False
    if filing.step != step:
        return False
    return actor.has_assurance(AssuranceLevel.HIGH)


def filing_authorisation_printable(filing) -> bool:
    """The written authorisation can be printed from its step on (and again later, for the archive)."""
    return filing.step >= FilingStep.AUTHORISATION


def filing_receipt_printable(filing) -> bool:
    return filing.case_id is not None
