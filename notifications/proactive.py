"""Proactive reminders and offers (concept 4.4.2.8), only for people who opted in.

- **Rules are data**: an agency admin keeps `ProactiveRule`s for their own agency's services (the pages
  in `views_proactive`): "N days before a document of a kind expires" (e.g. 90, 30, 7) or "within N
  days after a life event" (a child's birth, a company's liquidation started).
- **Who is due is found set-based**, one SQL statement per rule over the whole population, by
  `requests_registry.services.proactive` (the offers go only to whoever has not applied for the
  service: a question about cases, and the registry sits above this app). It composes eaccount's
  selectors (register data, opt-in) and its cases into one `values()` queryset and hands it to
  `proactive_claim`, which turns it into `INSERT … SELECT … ON CONFLICT DO NOTHING`: each (rule,
  party, occasion) is claimed once, whatever runs beside it or how often.
- **Sending** (`proactive_send_pending`): the claimed rows not yet notified, in bounded batches, each
  through `services.notify` with a dedupe key naming the rule, the party and the occasion, and
  marked notified in the same transaction (a crash rolls both back; the next run sends it).
- **Every notice says why** (the topic's text: the register's fact and the person's own choice) and
  **how to stop**: a signed link (`opt_out_url`) naming the party and the kind of notice. Opening it
  changes nothing; the button on that page turns the kind off through eaccount's audited
  `notice_choices_set`, for a logged-in user who may change that party's choices (themselves, a
  parent for a minor, a board member for the company).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from catalogue import selectors as catalogue_selectors
from eaccount import selectors as eaccount_selectors
from kernel.errors import Invalid, NotFound
from kernel.parties import party_key

from . import services
from .constants import NoticeKind
from .models import ProactiveLifeEvent, ProactiveRule, ProactiveRuleKind, ProactiveSent
from .topics import Localised

logger = logging.getLogger(__name__)

OPT_OUT_SALT = "notifications.proactive.opt_out"
SEND_BATCH = 50
SEND_LIMIT = 1000
# the sending part of one beat run stops after this (the task's soft time limit is 30 s)
SEND_SECONDS = 20.0
DAYS_MAX = 3650
STEPS_MAX = 10

RULE_KIND_NOTICE = {
    ProactiveRuleKind.DOCUMENT_EXPIRY: NoticeKind.REMINDER,
    ProactiveRuleKind.LIFE_EVENT: NoticeKind.PROACTIVE_OFFER,
}
RULE_KIND_TOPIC = {
    ProactiveRuleKind.DOCUMENT_EXPIRY: "document_expiry_reminder",
    ProactiveRuleKind.LIFE_EVENT: "life_event_offer",
}
# the texts name documents and events in both languages, like the topics (kept in code, reviewable)
DOCUMENT_NAMES = {
    "passport": Localised("pase", "passport"),
    "id_card": Localised("personas apliecība", "identity card"),
}
EVENT_NAMES = {
    ProactiveLifeEvent.CHILD_BIRTH: Localised("bērna piedzimšana", "the birth of a child"),
    ProactiveLifeEvent.COMPANY_LIQUIDATION_STARTED: Localised(
        "uzņēmuma likvidācijas uzsākšana", "the start of your company's liquidation"
    ),
}
# the party a rule's notices are about: persons, or (liquidation) organisations
ORGANISATION_EVENTS = {ProactiveLifeEvent.COMPANY_LIQUIDATION_STARTED}


class RuleNotFound(NotFound):
    code = "proactive_rule.not_found"


class RuleInvalid(Invalid):
    code = "proactive_rule.invalid"


# --- the rules ---------------------------------------------------------------------------------------


def rule_party_kind(rule: ProactiveRule) -> str:
    """ "organisation" for a rule about companies, else "person"."""
    if rule.kind == ProactiveRuleKind.LIFE_EVENT and rule.life_event in ORGANISATION_EVENTS:
        return "organisation"
    return "person"


def proactive_rules_active() -> list[ProactiveRule]:
    """The active rules with their services, in a stable order (one query)."""
    return list(ProactiveRule.objects.filter(active=True).select_related("service").order_by("pk"))


def proactive_rules_for_admin(*, user) -> QuerySet[ProactiveRule]:
    """The rules of the services of the agencies `user` administers (none for anyone else)."""
    agency_ids = eaccount_selectors.agency_ids_administered(user=user)
    return (
        ProactiveRule.objects.filter(service__agency_id__in=sorted(agency_ids))
        .select_related("service", "service__agency")
        .order_by("service__code", "pk")
    )


def proactive_rule_get_for_admin(*, user, rule_id) -> ProactiveRule:
    """One rule of the user's agencies; RuleNotFound for a missing one and another agency's alike."""
    if not str(rule_id).isdigit() or len(str(rule_id)) > 18:
        raise RuleNotFound()
    rule = proactive_rules_for_admin(user=user).filter(pk=int(rule_id)).first()
    if rule is None:
        raise RuleNotFound()
    return rule


def proactive_rule_services(*, user) -> list:
    """The services a rule of `user` may be about: those of the agencies they administer."""
    return catalogue_selectors.services_of_agencies(
        agency_ids=eaccount_selectors.agency_ids_administered(user=user)
    )


def days_parse(text: str) -> list[int]:
    """ "90, 30, 7" → [90, 30, 7] (distinct, largest first); raises ValueError with the reason."""
    parts = [part for part in str(text or "").replace(";", ",").replace(" ", ",").split(",") if part]
    if not parts:
        raise ValueError(_("Give at least one number of days, e.g. 90, 30, 7."))
    if len(parts) > STEPS_MAX:
        raise ValueError(_("At most %(count)d numbers of days.") % {"count": STEPS_MAX})
    days = set()
    for part in parts:
        if not part.isascii() or not part.isdigit() or not 1 <= int(part) <= DAYS_MAX:
            raise ValueError(
                _("Each number of days is a whole number from 1 to %(max)d.") % {"max": DAYS_MAX}
            )
        days.add(int(part))
    return sorted(days, reverse=True)


@transaction.atomic
def proactive_rule_save(*, actor, rule: ProactiveRule | None, data: dict[str, Any]) -> ProactiveRule:
    """Create (`rule=None`) or change a rule of one of the actor's agencies' services. `data`: service
    (id), kind, document_kind, days_before (list), life_event, within_days, active. Raises
    RuleNotFound for a rule or service outside the actor's agencies, RuleInvalid on a bad field."""
    user = actor.user_or_none
    agency_ids = eaccount_selectors.agency_ids_administered(user=user) if user is not None else set()
    if rule is not None:
        rule = ProactiveRule.objects.select_for_update().filter(pk=rule.pk).first()
        if rule is None or rule.service.agency_id not in agency_ids:
            raise RuleNotFound()
    services_allowed = {service.pk: service for service in proactive_rule_services(user=user)} if user else {}
    service = services_allowed.get(data.get("service"))
    if service is None:
        raise RuleInvalid(field_errors={"service": [_("Choose a service of your agency.")]})
    fields = _rule_fields(data)
    fields["service_id"] = service.pk
    if rule is None:
        rule = ProactiveRule.objects.create(created_by=user, **fields)
        action, before = "proactive_rule.create", None
    else:
        before = _rule_snapshot(rule)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save()
        action = "proactive_rule.change"
    audit.record(
        action=action,
        actor=actor,
        target=rule,
        data={"service": service.code, "before": before, "after": _rule_snapshot(rule)},
    )
    return rule


def _rule_fields(data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind")
    errors: dict[str, list] = {}
    fields: dict[str, Any] = {"kind": kind, "active": bool(data.get("active", True))}
    if kind == ProactiveRuleKind.DOCUMENT_EXPIRY:
        kinds = {value for value, _label in eaccount_selectors.register_document_kinds()}
        if data.get("document_kind") not in kinds:
            errors["document_kind"] = [_("Choose the kind of document.")]
        days = data.get("days_before") or []
        if not days or not all(isinstance(d, int) and 1 <= d <= DAYS_MAX for d in days):
            errors["days_before"] = [_("Give at least one number of days, e.g. 90, 30, 7.")]
        fields |= {
            "document_kind": data.get("document_kind") or "",
            "days_before": sorted(set(days), reverse=True) if not errors.get("days_before") else [],
            "life_event": "",
            "within_days": None,
        }
    elif kind == ProactiveRuleKind.LIFE_EVENT:
        if data.get("life_event") not in ProactiveLifeEvent.values:
            errors["life_event"] = [_("Choose the life event.")]
        within = data.get("within_days")
        if not isinstance(within, int) or not 1 <= within <= 366:
            errors["within_days"] = [_("Give a number of days from 1 to 366.")]
        fields |= {
            "life_event": data.get("life_event") or "",
            "within_days": within,
            "document_kind": "",
            "days_before": [],
        }
    else:
        errors["kind"] = [_("Choose the kind of rule.")]
    if errors:
        raise RuleInvalid(field_errors=errors)
    return fields


def _rule_snapshot(rule: ProactiveRule) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "document_kind": rule.document_kind,
        "days_before": list(rule.days_before or []),
        "life_event": rule.life_event,
        "within_days": rule.within_days,
        "active": rule.active,
    }


@transaction.atomic
def proactive_rule_deactivate(*, actor, rule: ProactiveRule) -> ProactiveRule:
    """Stop a rule (it stays, with what it sent). RuleNotFound outside the actor's agencies."""
    user = actor.user_or_none
    agency_ids = eaccount_selectors.agency_ids_administered(user=user) if user is not None else set()
    locked = ProactiveRule.objects.select_for_update().filter(pk=rule.pk).select_related("service").first()
    if locked is None or locked.service.agency_id not in agency_ids:
        raise RuleNotFound()
    if locked.active:
        locked.active = False
        locked.save(update_fields=["active", "updated_at"])
        audit.record(action="proactive_rule.deactivate", actor=actor, target=locked, data={})
    return locked


# --- claiming the occasions: one statement per rule ---------------------------------------------------

# the columns a scan's candidates queryset selects (values() with these aliases, in this order)
CANDIDATE_COLUMNS = ("sent_party", "sent_ref", "sent_step", "sent_date")


def proactive_claim(*, rule: ProactiveRule, candidates: QuerySet, now: datetime | None = None) -> int:
    """Record, in one `INSERT … SELECT … ON CONFLICT DO NOTHING`, each occasion of `candidates` not
    claimed before for this rule: a values() queryset with CANDIDATE_COLUMNS (the party's id, the
    occasion's reference and step, the event's date). Returns how many were new."""
    now = now or timezone.now()
    sql, params = candidates.query.sql_with_params()
    party_column = "organisation_id" if rule_party_kind(rule) == "organisation" else "person_id"
    quote = connection.ops.quote_name
    table = quote(ProactiveSent._meta.db_table)
    columns = ", ".join(f"c.{quote(name)}" for name in CANDIDATE_COLUMNS)
    # "WHERE true": SQLite needs it to tell ON CONFLICT from a join's ON
    statement = (
        f"INSERT INTO {table} (rule_id, {party_column}, occasion_ref, occasion_step, event_date, created_at) "  # noqa: S608 - names are ours, values are parameters
        f"SELECT %s, {columns}, %s FROM ({sql}) AS c WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [rule.pk, now, *params])
        return max(cursor.rowcount, 0)


def proactive_selection_sql(*, candidates: QuerySet) -> tuple[str, tuple]:
    """The SQL of a scan's selection (for EXPLAIN in the benchmark)."""
    return candidates.query.sql_with_params()


# --- sending -----------------------------------------------------------------------------------------


def opt_out_token(*, party, kind: str) -> str:
    return signing.dumps({"p": party_key(party), "k": str(kind)}, salt=OPT_OUT_SALT, compress=True)


@dataclass(frozen=True, slots=True)
class OptOut:
    party: Any
    kind: str


def opt_out_read(*, token: str) -> OptOut | None:
    """The party and kind a link names; None for a forged or damaged one, a kind that is not opt-in, or
    a party that is gone."""
    try:
        data = signing.loads(str(token)[:500], salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in RULE_KIND_NOTICE.values():
        return None
    party = eaccount_selectors.party_get_by_key(key=str(data.get("p", "")))
    return OptOut(party=party, kind=data["k"]) if party is not None else None


def opt_out_url(*, party, kind: str) -> str:
    path = reverse("notifications:proactive-stop", kwargs={"token": opt_out_token(party=party, kind=kind)})
    # PORTAL_BASE_URL (e.g. https://latvija.gov.lv): absolute links in e-mails; without it the link is
    # relative, which the e-account copy follows
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _date_text(day: date) -> Localised:
    return Localised(f"{day:%d.%m.%Y}.", f"{day.day} {day:%b %Y}")


def _context(sent: ProactiveSent, today: date) -> dict[str, Any]:
    rule = sent.rule
    kind = RULE_KIND_NOTICE[rule.kind]
    url = opt_out_url(party=sent.party, kind=kind)
    if rule.kind == ProactiveRuleKind.DOCUMENT_EXPIRY:
        name = DOCUMENT_NAMES.get(rule.document_kind) or Localised(
            eaccount_selectors.register_document_kind_label(kind=rule.document_kind)
        )
        return {
            "document": name,
            "expiry_date": _date_text(sent.event_date),
            "days": max((sent.event_date - today).days, 0),
            "opt_out_url": url,
        }
    event = EVENT_NAMES.get(rule.life_event) or Localised(rule.life_event)
    when = _date_text(sent.event_date)
    return {
        "event": Localised(f"{event.lv} {when.lv}", f"{event.en} on {when.en}"),
        "service": Localised(rule.service.title_lv, rule.service.title_en),
        "opt_out_url": url,
    }


def dedupe_key(sent: ProactiveSent) -> str:
    return f"proactive:{sent.rule_id}:{party_key(sent.party)}:{sent.occasion_ref}:{sent.occasion_step}"


def proactive_send_pending(
    *,
    now: datetime | None = None,
    today: date | None = None,
    batch: int = SEND_BATCH,
    limit: int = SEND_LIMIT,
    seconds: float = SEND_SECONDS,
) -> int:
    """Notify the claimed occasions not notified yet, oldest first, in batches of `batch` (each batch
    one transaction: the notices and the rows' `notified_at` commit together), at most `limit` or for
    `seconds`; the rest wait for the next run. A party that opted out since it was claimed is not
    told (the row is closed). Safe beside another run (rows locked, skip locked). How many notified."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    started = time.monotonic()
    told = 0
    handled = 0
    while handled < limit and time.monotonic() - started < seconds:
        with transaction.atomic():
            qs = ProactiveSent.objects.filter(notified_at__isnull=True).order_by("created_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            rows = list(
                qs.select_related("rule", "rule__service", "person", "organisation")[
                    : min(batch, limit - handled)
                ]
            )
            if not rows:
                break
            for sent in rows:
                kind = RULE_KIND_NOTICE[sent.rule.kind]
                if sent.rule.active and eaccount_selectors.notice_opted_in(party=sent.party, kind=kind):
                    services.notify(
                        party=sent.party,
                        topic=RULE_KIND_TOPIC[sent.rule.kind],
                        context=_context(sent, today),
                        dedupe_key=dedupe_key(sent),
                        service_code=sent.rule.service.code,
                        link_url=sent.rule.service.get_absolute_url(),
                    )
                    told += 1
            ProactiveSent.objects.filter(pk__in=[sent.pk for sent in rows]).update(notified_at=now)
            handled += len(rows)
    return told
