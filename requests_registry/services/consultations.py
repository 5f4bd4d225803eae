"""Consultations (recorded acts of informing) and the client's feedback on cases and consultations."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.parties import is_organisation, is_person
from knowledge_base import services as kb_services

from .. import rules
from ..constants import FEEDBACK_COMMENT_LIMIT, FEEDBACK_MAX, FEEDBACK_MIN, Channel
from ..exceptions import CaseValidationError, NotAllowed
from ..models import Case, Consultation, Feedback


def consultation_register(
    *,
    actor: Actor,
    channel: str,
    topic: str,
    duration_minutes: int,
    outcome: str,
    service=None,
    client=None,
    anonymous_phone: str = "",
    note: str = "",
    agency=None,
    centre=None,
    case: Case | None = None,
    article=None,
    article_useful: bool | None = None,
    script_run=None,
) -> Consultation:
    """Record an act of informing; the client is a Person, an Organisation or nobody (anonymous).
    `article`: the knowledge base article answered from (the caller checked the actor may read it),
    counted for it with `article_useful`; `script_run`: the finished call script run that led the
    conversation (one consultation a run)."""
    errors: dict[str, list[str]] = {}
    if not (topic or "").strip():
        errors["topic"] = [_("Write the topic.")]
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = [_("Enter the duration in minutes, from 1 to 600.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Select a channel.")]
    if client is not None and anonymous_phone:
        errors["anonymous_phone"] = [_("A phone number is recorded only for an anonymous client.")]
    run_taken = _("This call script run is recorded with another consultation already.")
    if script_run is not None and not script_run.is_finished:
        errors["script_run"] = [_("Finish the call script first.")]
    elif script_run is not None and Consultation.objects.filter(script_run=script_run).exists():
        errors["script_run"] = [run_taken]
    if article is None and article_useful is not None:
        errors["article_useful"] = [_("Say which article you used.")]
    if errors:
        raise CaseValidationError(errors)
    try:
        with transaction.atomic():
            return _consultation_insert(
                actor=actor,
                fields={
                    "service": service,
                    "channel": channel,
                    "client_person": client if is_person(client) else None,
                    "client_organisation": client if is_organisation(client) else None,
                    "anonymous_phone": anonymous_phone.strip(),
                    "topic": topic.strip()[:300],
                    "duration_minutes": duration_minutes,
                    "consulted_by": actor.user_or_none,
                    "agency": agency,
                    "centre": centre,
                    "outcome": outcome,
                    "note": note,
                    "case": case,
                    "article": article,
                    "article_useful": article_useful,
                    "script_run": script_run,
                },
                client=client,
            )
    except IntegrityError:  # the same run recorded by a second request at the same moment
        if script_run is not None and Consultation.objects.filter(script_run=script_run).exists():
            raise CaseValidationError({"script_run": [run_taken]}) from None
        raise


def _consultation_insert(*, actor: Actor, fields: dict, client) -> Consultation:
    consultation = Consultation.objects.create(**fields)
    article, service = fields["article"], fields["service"]
    if article is not None:
        kb_services.article_use_record(
            actor=actor,
            article=article,
            useful=fields["article_useful"],
            consultation_key=f"consultation:{consultation.pk}",
        )
    audit.record(
        action="consultation.register",
        actor=actor,
        acting_for=client,
        target=consultation,
        data={
            "service": getattr(service, "code", None),
            "channel": fields["channel"],
            "outcome": fields["outcome"],
            "article": getattr(article, "pk", None),
            "script_run": getattr(fields["script_run"], "pk", None),
        },
    )
    return consultation


def _feedback_give(
    *, actor: Actor, target: Case | Consultation, rating: Any, comment: str, already_given: str
) -> Feedback:
    """One Feedback row for a case or a consultation, with its audit event; a second one is refused."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not FEEDBACK_MIN <= value <= FEEDBACK_MAX:
        raise CaseValidationError({"rating": [_("Choose a rating from 1 to 5.")]})
    if len(comment or "") > FEEDBACK_COMMENT_LIMIT:
        raise CaseValidationError(
            {"comment": [_("Enter at most %(limit)s characters.") % {"limit": FEEDBACK_COMMENT_LIMIT}]}
        )
    on = {"case": target} if isinstance(target, Case) else {"consultation": target}
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                **on, rating=value, comment=(comment or "").strip(), given_by=actor.user_or_none
            )
            audit.record(
                action="feedback.give",
                actor=actor,
                acting_for=target.client,
                target=target,
                data={"rating": value},
            )
    except IntegrityError:
        raise NotAllowed(already_given) from None
    return feedback


def feedback_give_for_case(*, actor: Actor, case: Case, rating: Any, comment: str = "") -> Feedback:
    """The client rates a completed case, once (a second one is refused by the unique constraint)."""
    if not rules.case_feedback_allowed(case, feedback_given=False):
        raise NotAllowed(_("Feedback can be given on a completed case."))
    return _feedback_give(
        actor=actor,
        target=case,
        rating=rating,
        comment=comment,
        already_given=_("You have already given feedback on this case."),
    )


def feedback_give_for_consultation(
    *, actor: Actor, consultation: Consultation, rating: Any, comment: str = ""
) -> Feedback:
    """The client (or whoever represents them) rates a consultation, once."""
    return _feedback_give(
        actor=actor,
        target=consultation,
        rating=rating,
        comment=comment,
        already_given=_("Feedback on this consultation has already been given."),
    )
