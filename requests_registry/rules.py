"""May this happen now? One predicate per action of the registry.

Services call them after locking the row and refuse with a domain error; pages show or hide the
action from the same call. Predicates read only what they are given (no queries), so a page may
ask them for every row it shows.
"""

from __future__ import annotations

from catalogue.constants import Audience, PaymentMode, ServiceState
from kernel.actors import Actor
from kernel.constants import AssuranceLevel
from kernel.parties import is_organisation, is_person

from .constants import CLIENT_WITHDRAWABLE, FINAL_STATUSES, TRANSITIONS, CaseStatus

# --- who may be the client ---------------------------------------------------------------------------


def service_serves_client(*, service, client) -> bool:
    """Person services are filed for persons, organisation services for organisations; a minor is
    the client only of services whose catalogue entry admits a minor."""
    if client is None or (service.audience == Audience.ORGANISATION) != is_organisation(client):
        return False
    return not (is_person(client) and client.is_minor and not service.minor_may_be_client)


def authorised_filing_refusal(*, actor: Actor, service, client, centre_ids: set[int]) -> str | None:
    """Reg. 401 points 2.6 and 22.1: why this authorised e-service may not be filed (None: it may).

    Only for services whose catalogue entry allows it, only for a natural person who has no eID,
    only by a specialist of the centre the actor works at, on a session of the `high` level.
    """
    if not service.authorised_filing_allowed:
        return "service"
    if not is_person(client):
        return "client_organisation"
    if client.has_eid:
        return "client_has_eid"
    if actor.user_or_none is None or actor.centre_id is None or actor.centre_id not in centre_ids:
        return "not_centre_specialist"
    if not actor.has_assurance(AssuranceLevel.HIGH):
        return "assurance"
    return None


def service_accepts_cases(*, service) -> bool:
    return service.state == ServiceState.PUBLISHED


# --- the client's actions on a case --------------------------------------------------------------


def case_withdraw_allowed(case) -> bool:
    """The client may withdraw only before the agency starts the work."""
    return case.status in CLIENT_WITHDRAWABLE


def case_answer_allowed(case) -> bool:
    return case.status == CaseStatus.NEEDS_INFO


def case_feedback_allowed(case, *, feedback_given: bool) -> bool:
    return case.status == CaseStatus.COMPLETED and not feedback_given


def consultation_feedback_allowed(consultation, *, feedback_given: bool) -> bool:
    return not feedback_given


# --- the agency's actions on a case --------------------------------------------------------------


def service_takes_payment(service) -> bool:
    """Only a service with a fee charges one: only its cases may wait for a payment."""
    return service.fee_eur is not None and service.fee_eur > 0 and service.payment_mode != PaymentMode.NONE


def case_status_targets(case) -> frozenset[str]:
    """Where the case may go now: the pipeline's map, without awaiting payment for a free service."""
    targets = TRANSITIONS.get(case.status, frozenset())
    if CaseStatus.AWAITING_PAYMENT in targets and not service_takes_payment(case.service):
        return targets - {CaseStatus.AWAITING_PAYMENT}
    return targets


def case_status_change_allowed(case, *, to: str) -> bool:
    return to in case_status_targets(case)


def case_request_info_allowed(case) -> bool:
    return case_status_change_allowed(case, to=CaseStatus.NEEDS_INFO)


def case_result_allowed(case) -> bool:
    """A result goes only to an open case: never to a withdrawn, rejected or completed one."""
    return case.status not in FINAL_STATUSES


def case_complete_allowed(case) -> bool:
    return case_status_change_allowed(case, to=CaseStatus.COMPLETED)


def case_take_allowed(case, *, user) -> bool:
    """Staff take an open case that is not already theirs."""
    return case.status not in FINAL_STATUSES and case.assigned_to_id != getattr(user, "pk", None)
