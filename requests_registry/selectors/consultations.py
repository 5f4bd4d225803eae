"""Consultations: those an official gave, and those given to a client or whom they represent."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from delegation import selectors as delegation_selectors
from kernel.constants import Basis

from ..exceptions import ConsultationNotFound
from ..models import Consultation, Feedback
from .cases import _principal_q


def consultation_list_for_staff(*, user) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(consulted_by=user)
        .select_related("service", "client_person", "client_organisation")
        .order_by("-created_at", "-id")
    )


def consultation_get_for_staff(*, user, pk) -> Consultation:
    try:
        return consultation_list_for_staff(user=user).get(pk=int(pk))
    except (Consultation.DoesNotExist, TypeError, ValueError):
        raise ConsultationNotFound(pk) from None


def _consultation_client_q(*, user, principal=None, via: str = "") -> Q | None:
    """The consultations given to the user or to someone they represent by law (a child, a company);
    `via` puts it on a related model's consultation (`"consultation__"`), as `_principal_q` does.

    Not to a delegate: a delegation covers services, and a consultation need not be about one.
    """
    allowed = [p for p in delegation_selectors.principals_for(user=user) if p.basis != Basis.DELEGATION]
    if principal is not None:
        allowed = [p for p in allowed if p == principal]
    if not allowed:
        return None
    return Q(**{f"{via}client_person_id__in": [p.id for p in allowed if p.is_person]}) | Q(
        **{f"{via}client_organisation_id__in": [p.id for p in allowed if not p.is_person]}
    )


def consultation_list_for_user(*, user, principal=None) -> QuerySet[Consultation]:
    """The consultations of the principal (or of everyone the user represents), newest first, each
    with `feedback_rating` (None until the client has rated it)."""
    condition = _consultation_client_q(user=user, principal=principal)
    if condition is None:
        return Consultation.objects.none()
    rating = Feedback.objects.filter(consultation=OuterRef("pk")).values("rating")[:1]
    return (
        Consultation.objects.filter(condition)
        .select_related("service__agency", "agency", "centre", "client_person", "client_organisation")
        .annotate(feedback_rating=Subquery(rating))
        .order_by("-created_at", "-id")
    )


def consultation_get_for_user(*, user, pk) -> Consultation:
    """A consultation of someone the user represents; ConsultationNotFound for every other, alike."""
    try:
        return consultation_list_for_user(user=user).get(pk=int(pk))
    except (Consultation.DoesNotExist, TypeError, ValueError, OverflowError):
        raise ConsultationNotFound(pk) from None


def feedback_for_client(*, user, principal=None) -> QuerySet[Feedback]:
    """The feedback given on the cases and consultations the user sees for the principal (unordered,
    for the interaction history): a case's as `case_list_for_user`, a consultation's as
    `consultation_list_for_user`. By joins (outer: a feedback has one of the two), not subqueries."""
    case_condition = _principal_q(user=user, principal=principal, via="case__")
    consultation_condition = _consultation_client_q(user=user, principal=principal, via="consultation__")
    condition = Q(pk__in=[])
    if case_condition is not None:
        condition |= case_condition
    if consultation_condition is not None:
        condition |= consultation_condition
    return Feedback.objects.filter(condition)
