"""notify(): the one door through which every app tells people something; and delivery.

- `notify` resolves who is told (the party; an organisation's board members; a minor's legal
  representatives; the delegates of the service, when the notice is about a delegable service that
  their delegation covers), asks each one's choices (eaccount.selectors.notice_channels: the e-account
  always, e-mail and SMS as chosen, proactive kinds opt-in) and language, renders the topic
  (notifications.topics) and records one Notification per recipient and channel — never twice for
  the same dedupe key, recipient and channel (a unique constraint). The e-account copy, the official
  record, is made at once in the caller's transaction (`eaccount.inbox.message_send`, keyed by the
  dedupe key) into the party's own inbox, where its representatives and delegates see it; e-mails and
  SMS are handed to a worker (one task each) after the commit.
- `notification_deliver` (the task's body) sends one e-mail or SMS under the row's lock: a run beside it
  skips the row, a run after it finds it delivered; a worker killed while sending rolls the attempt
  back, and the task runs again. Temporary failures are retried with exponential backoff (1 minute
  doubling to an hour, for NOTIFICATIONS_RETRY_HOURS); permanent ones are not; an SMS that cannot be
  delivered falls back to an e-mail to a confirmed address. No SMS is sent in quiet hours (22:00–08:00
  Riga time): it waits for the morning. Each agency sends at most NOTIFICATIONS_AGENCY_RATE_PER_MINUTE.
- No task is sent with a countdown (README, "Broker"): beat's `notifications_redeliver_due` hands out
  what is due by `next_attempt_at` — retries, the morning's SMS, and a notification whose task the
  broker lost (REDELIVER_AFTER after it was handed out and still not sent).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from catalogue import selectors as catalogue_selectors
from delegation import selectors as delegation_selectors
from eaccount import selectors as eaccount_selectors
from eaccount.inbox import message_send
from kernel.constants import Basis
from kernel.parties import is_organisation, is_person, party_key

from . import topics
from .constants import STATES_TO_SEND, NoticeChannel, NotificationState
from .models import Notification
from .sms import SmsPermanentFailure, SmsTemporaryFailure, sms_backend

logger = logging.getLogger(__name__)

# A notification handed to the broker and still not sent after this is handed out again by beat (the
# broker lost its task: a worker killed as it took it). Past the visibility timeout and a restore sweep
# (45 + 5 s), as requests_registry's RESEND_AFTER.
REDELIVER_AFTER = timedelta(seconds=50)
REDELIVER_LIMIT = 1000
RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(hours=1)
QUIET_HOURS_ZONE = ZoneInfo("Europe/Riga")
CHANNEL_ORDER = (NoticeChannel.E_ACCOUNT, NoticeChannel.EMAIL, NoticeChannel.SMS)
DEFAULT_SENDER = {"lv": "Latvija.gov.lv", "en": "Latvija.gov.lv"}


class ReceiptRefused(Exception):
    """A delivery receipt whose signature does not match (forged, or no secret configured)."""


class ReceiptInvalid(Exception):
    """A signed receipt that says nothing we understand."""


# --- who is told -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    party: Any  # a Person or an Organisation
    basis: str  # kernel.constants.Basis: SELF, LEGAL_REPRESENTATION or DELEGATION


def _delegation_covers(delegation, service_code: str) -> bool:
    codes = {service.code for service in delegation.services.all()}
    return not codes or service_code in codes


def recipients_for(*, party, service_code: str = "", today=None) -> list[Recipient]:
    """The party, then its legal representatives (an organisation's board members today, a minor's
    parents), then — for a notice about a delegable service — the delegates whose delegation in force
    covers it. Each person once (the first basis found)."""
    today = today or timezone.localdate()
    found = [Recipient(party, Basis.SELF)]
    if is_organisation(party):
        memberships = (
            party.board_memberships.select_related("person")
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .order_by("person_id")
        )
        found += [Recipient(m.person, Basis.LEGAL_REPRESENTATION) for m in memberships]
    elif is_person(party) and party.is_minor:
        links = party.parent_links.select_related("parent").order_by("parent_id")
        found += [Recipient(link.parent, Basis.LEGAL_REPRESENTATION) for link in links]
    if service_code:
        delegations = [
            delegation
            for delegation in delegation_selectors.delegations_in_force_given(principal=party, on=today)
            if _delegation_covers(delegation, service_code)
        ]
        if delegations and catalogue_selectors.service_codes_delegable(codes=[service_code]).exists():
            found += [Recipient(delegation.agent, Basis.DELEGATION) for delegation in delegations]
    unique: dict[str, Recipient] = {}
    for recipient in found:
        unique.setdefault(party_key(recipient.party), recipient)
    return list(unique.values())


# --- quiet hours, rate limit, backoff ----------------------------------------------------------------


def sms_quiet_hours(now: datetime) -> bool:
    start, end = settings.NOTIFICATIONS_SMS_QUIET_HOURS
    hour = now.astimezone(QUIET_HOURS_ZONE).hour
    return (hour >= start or hour < end) if start > end else start <= hour < end


def sms_quiet_hours_end(now: datetime) -> datetime:
    _start, end = settings.NOTIFICATIONS_SMS_QUIET_HOURS
    local = now.astimezone(QUIET_HOURS_ZONE)
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), tzinfo=QUIET_HOURS_ZONE)


def agency_rate_take(*, agency_id: int | None, now: datetime) -> bool:
    """Count one send of the agency in this minute (the shared cache); False past the limit."""
    limit = settings.NOTIFICATIONS_AGENCY_RATE_PER_MINUTE
    if not agency_id or not limit:
        return True
    key = f"notifications:rate:{agency_id}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count <= limit


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, an hour at most."""
    return min(RETRY_FIRST * (2 ** max(attempts - 1, 0)), RETRY_LONGEST)


# --- notify ------------------------------------------------------------------------------------------


def _record(**fields) -> Notification | None:
    """Insert one notification; None if the same key, recipient and channel exist (also when a run
    beside this one inserted it: the insert waits for its commit, then conflicts)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:
        return None


def _recipient_fields(party) -> dict:
    if is_organisation(party):
        return {"recipient_organisation": party, "recipient_key": party_key(party)}
    return {"recipient_person": party, "recipient_key": party_key(party)}


def _sender(service, language: str) -> str:
    if service is None:
        return DEFAULT_SENDER[language]
    agency = service.agency
    return topics.Localised(agency.name_lv, agency.name_en).for_language(language)


def notify(
    *,
    party,
    topic: str,
    context: dict[str, Any],
    dedupe_key: str,
    actor=None,
    service_code: str = "",
    sender_label: str = "",
    link_url: str = "",
    case_number: str = "",
) -> list[Notification]:
    """Tell `party` (and whoever is told with it) about `topic`; returns the notifications recorded
    now (none when `dedupe_key` was notified before). Call it inside the transaction of the change:
    the e-account copy commits with it and the e-mails and SMS go to a worker after the commit.
    `actor`: who caused it (kept for the record; the notice is sent by the system). `sender_label`:
    who the message is from (default: the service's agency); `link_url`: where it points;
    `case_number`: the case whose thread the e-account copy joins."""
    spec = topics.topic_get(topic)
    if not dedupe_key or len(dedupe_key) > 120:
        raise ValueError("dedupe_key: 1 to 120 characters")
    spec.resolve(context, topics.DEFAULT_LANGUAGE)  # a missing placeholder fails here, loudly
    service = (
        catalogue_selectors.services_by_codes(codes=[service_code]).get(service_code)
        if service_code
        else None
    )
    now = timezone.now()
    created: list[Notification] = []
    with transaction.atomic():
        done = set(Notification.objects.filter(dedupe_key=dedupe_key).values_list("recipient_key", "channel"))
        for recipient in recipients_for(party=party, service_code=service_code):
            key = party_key(recipient.party)
            channels = eaccount_selectors.notice_channels(party=recipient.party, kind=spec.kind)
            if recipient.basis != Basis.SELF:  # they read the party's e-account copy in its inbox
                channels.discard(NoticeChannel.E_ACCOUNT)
            todo = [
                channel for channel in CHANNEL_ORDER if channel in channels and (key, channel) not in done
            ]
            if not todo:
                continue
            language = eaccount_selectors.notice_language(party=recipient.party)
            rendered = spec.render(context, language)
            common = {
                "dedupe_key": dedupe_key,
                "topic": spec.code,
                "kind": spec.kind,
                "party_key": party_key(party),
                "basis": recipient.basis,
                "language": rendered.language,
                "service_code": service_code,
                "agency_id": service.agency_id if service is not None else None,
                "sender_label": (sender_label or _sender(service, rendered.language))[:200],
                "link_url": link_url[:500],
                "context": spec.resolve(context, rendered.language),
                **_recipient_fields(recipient.party),
            }
            for channel in todo:
                row = _record(**common, **_channel_fields(channel, recipient.party, rendered, now))
                if row is not None:
                    created.append(row)
        for row in created:
            if row.channel == NoticeChannel.E_ACCOUNT:
                _deliver_to_e_account(
                    row, party=party, now=now, spec=spec, context=context, case_number=case_number
                )
        due = [row.pk for row in created if _hand_off_now(row, now)]
        if due:
            transaction.on_commit(partial(hand_off, ids=due))
    return created


def _channel_fields(channel: str, party, rendered: topics.Rendered, now: datetime) -> dict:
    if channel == NoticeChannel.E_ACCOUNT:
        return {"channel": channel, "subject": rendered.subject[:300], "body": rendered.body}
    if channel == NoticeChannel.EMAIL:
        return {
            "channel": channel,
            "to": party.email,
            "subject": rendered.subject[:300],
            "body": rendered.body,
            "next_attempt_at": now + REDELIVER_AFTER,
        }
    quiet = sms_quiet_hours(now)
    return {
        "channel": channel,
        "to": party.phone,
        "subject": rendered.subject[:300],
        "body": rendered.sms,
        "next_attempt_at": sms_quiet_hours_end(now) if quiet else now + REDELIVER_AFTER,
    }


def _hand_off_now(row: Notification, now: datetime) -> bool:
    return row.channel != NoticeChannel.E_ACCOUNT and row.next_attempt_at <= now + REDELIVER_AFTER


def _deliver_to_e_account(
    row: Notification, *, party, now: datetime, spec: topics.Topic, context, case_number: str
) -> None:
    # the official record holds both languages: the e-account shows the page's
    latvian, english = spec.render(context, "lv"), spec.render(context, "en")
    message_send(
        to=party,
        sender_label=row.sender_label,
        subject=latvian.subject,
        body=latvian.body,
        subject_en=english.subject,
        body_en=english.body,
        link_url=row.link_url,
        source_key=row.dedupe_key,
        service_code=row.service_code,
        case_number=case_number,
    )
    row.state = NotificationState.DELIVERED
    row.attempts = 1
    row.sent_at = row.delivered_at = now
    row.save(update_fields=["state", "attempts", "sent_at", "delivered_at"])


def hand_off(*, ids: list[int], queue: str | None = None) -> int:
    """Give the delivery tasks of these notifications to the broker (after the commit); never raises:
    what the broker did not take, beat hands out again after REDELIVER_AFTER. How many were given."""
    from .tasks import notification_deliver  # the tasks call these services

    queue = queue or settings.NOTIFICATIONS_QUEUE or None
    given = 0
    try:
        with current_app.connection_for_write() as broker:
            for pk in ids:
                notification_deliver.apply_async(args=[pk], connection=broker, retry=False, queue=queue)
                given += 1
    except Exception as error:  # the broker is away (or, eager, the delivery failed): beat retries
        logger.warning("Notifications %s… not handed to the broker: %s", ids[given : given + 3], error)
    return given


# --- delivery ----------------------------------------------------------------------------------------


def _locked_to_send(notification_id: int) -> Notification | None:
    qs = Notification.objects.filter(pk=notification_id, state__in=STATES_TO_SEND)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))  # being sent by another: leave it
    else:
        qs = qs.select_for_update(of=("self",))
    return qs.select_related("recipient_person", "recipient_organisation").first()


def _email_failure_kind(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return "permanent" if codes and all(code >= 500 for code in codes) else "temporary"
    if isinstance(error, smtplib.SMTPResponseException):
        return "permanent" if error.smtp_code >= 500 else "temporary"
    if isinstance(error, smtplib.SMTPException | OSError | SoftTimeLimitExceeded):
        return "temporary"
    return "technical"


def _send_email(notification: Notification, open_mailers: list) -> None:
    """Send it; the connection is left open in `open_mailers` for the caller to close after its
    COMMIT: the QUIT's round trip stays out of the moment between the server's "250" and the COMMIT,
    where a killed worker leaves an e-mail sent but not recorded (and so sent again)."""
    mailer = mailers.default
    mailer.open()
    open_mailers.append(mailer)
    mailer.send_messages(
        [EmailMessage(subject=notification.subject, body=notification.body, to=[notification.to])]
    )


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> str:
    """Send one e-mail or SMS notification; returns its state afterwards, or what held it
    ("skipped": sent or being sent already, "quiet_hours", "rate_limited"). Safe to run twice."""
    now = now or timezone.now()
    open_mailers: list = []
    try:
        return _deliver(notification_id=notification_id, now=now, open_mailers=open_mailers)
    finally:
        for mailer in open_mailers:  # after the COMMIT
            with contextlib.suppress(Exception):
                mailer.close()


def _deliver(*, notification_id: int, now: datetime, open_mailers: list) -> str:
    fallback = None
    with transaction.atomic():
        notification = _locked_to_send(notification_id)
        if notification is None:
            return "skipped"
        if notification.channel == NoticeChannel.SMS and sms_quiet_hours(now):
            notification.next_attempt_at = sms_quiet_hours_end(now)
            notification.save(update_fields=["next_attempt_at"])
            return "quiet_hours"
        if not agency_rate_take(agency_id=notification.agency_id, now=now):
            notification.next_attempt_at = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
            notification.save(update_fields=["next_attempt_at"])
            return "rate_limited"
        notification.attempts += 1
        try:
            kind, error = _send(notification, now, open_mailers)
        except Exception as unexpected:  # our fault: recorded, not retried
            logger.exception("Notification %s: technical failure", notification.pk)
            kind, error = "technical", unexpected
        if kind == "temporary":
            if now - notification.created_at < timedelta(hours=settings.NOTIFICATIONS_RETRY_HOURS):
                notification.next_attempt_at = now + retry_delay(notification.attempts)
            else:  # retried long enough: given up
                notification.next_attempt_at = None
                notification.failed_at = now
                fallback = _fallback_email(notification, now)
            notification.state = NotificationState.TEMPORARY_FAILURE
        elif kind == "permanent":
            notification.state = NotificationState.PERMANENT_FAILURE
            notification.next_attempt_at, notification.failed_at = None, now
            fallback = _fallback_email(notification, now)
        elif kind == "technical":
            notification.state = NotificationState.TECHNICAL_FAILURE
            notification.next_attempt_at, notification.failed_at = None, now
        if error is not None:
            notification.last_error = f"{type(error).__name__}: {error}"[:300]
        notification.save()
        if fallback is not None:
            transaction.on_commit(partial(hand_off, ids=[fallback.pk]))
    return notification.state


def _send(notification: Notification, now: datetime, open_mailers: list) -> tuple[str, Exception | None]:
    """Send it and set its state on success; (failure kind or "", the error)."""
    if notification.channel == NoticeChannel.EMAIL:
        if not notification.to:
            return "permanent", ValueError("no e-mail address")
        try:
            _send_email(notification, open_mailers)
        except Exception as error:
            return _email_failure_kind(error), error
        notification.state = NotificationState.DELIVERED
        notification.sent_at = notification.delivered_at = now
    elif notification.channel == NoticeChannel.SMS:
        if not notification.to:
            return "permanent", ValueError("no phone number")
        try:
            accepted = sms_backend().send(
                to=notification.to, text=notification.body, reference=str(notification.reference)
            )
        except SmsTemporaryFailure as error:
            return "temporary", error
        except SmsPermanentFailure as error:
            return "permanent", error
        notification.provider_reference = accepted.provider_reference
        notification.sent_at = now
        if accepted.delivered:
            notification.state, notification.delivered_at = NotificationState.DELIVERED, now
        else:
            notification.state = NotificationState.SENDING
    else:
        return "technical", ValueError(f"channel {notification.channel} is not delivered by a task")
    notification.next_attempt_at = None
    return "", None


def _fallback_email(notification: Notification, now: datetime) -> Notification | None:
    """An SMS that cannot be delivered: the e-mail, to a confirmed address, unless one was recorded."""
    if notification.channel != NoticeChannel.SMS:
        return None
    details = eaccount_selectors.contact_details(party=notification.recipient)
    if not details.email_possible:
        return None
    rendered = topics.topic_get(notification.topic).render(notification.context, notification.language)
    return _record(
        dedupe_key=notification.dedupe_key,
        topic=notification.topic,
        kind=notification.kind,
        party_key=notification.party_key,
        recipient_key=notification.recipient_key,
        recipient_person_id=notification.recipient_person_id,
        recipient_organisation_id=notification.recipient_organisation_id,
        basis=notification.basis,
        language=notification.language,
        service_code=notification.service_code,
        agency_id=notification.agency_id,
        sender_label=notification.sender_label,
        link_url=notification.link_url,
        context=notification.context,
        fallback_of=notification,
        channel=NoticeChannel.EMAIL,
        to=details.email,
        subject=rendered.subject[:300],
        body=rendered.body,
        next_attempt_at=now + REDELIVER_AFTER,
    )


# --- beat: what is due, the purge ----------------------------------------------------------------------


def notifications_redeliver_due(
    *, now: datetime | None = None, limit: int = REDELIVER_LIMIT, queue=None
) -> int:
    """Hand out the notifications due by `next_attempt_at` (retries, the morning's SMS, tasks the broker
    lost), oldest first; each is not due again for REDELIVER_AFTER. How many."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Notification.objects.filter(state__in=STATES_TO_SEND, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if ids:
            Notification.objects.filter(pk__in=ids).update(next_attempt_at=now + REDELIVER_AFTER)
            transaction.on_commit(partial(hand_off, ids=ids, queue=queue))
    return len(ids)


def notifications_purge_delivered(
    *, now: datetime | None = None, batch: int = 5000, batches: int = 20
) -> int:
    """Clear the texts of notifications delivered more than NOTIFICATIONS_RETENTION_DAYS ago (the row,
    its state and times stay); in bounded batches. How many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    total = 0
    for _round in range(batches):
        ids = list(
            Notification.objects.filter(
                state=NotificationState.DELIVERED, delivered_at__lt=cutoff, purged_at__isnull=True
            ).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        total += Notification.objects.filter(pk__in=ids).update(
            subject="", body="", context={}, purged_at=now
        )
    return total


# --- the SMS gateway's delivery receipts ------------------------------------------------------------------

RECEIPT_STATES = {
    "delivered": NotificationState.DELIVERED,
    "permanent-failure": NotificationState.PERMANENT_FAILURE,
    "temporary-failure": NotificationState.TEMPORARY_FAILURE,
}


def sms_receipt_signature(*, body: bytes, secret: str | None = None) -> str:
    """HMAC-SHA256 of the body with SMS_RECEIPT_SECRET, hex: what the gateway sends in X-Signature."""
    secret = settings.SMS_RECEIPT_SECRET if secret is None else secret
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sms_receipt_apply(*, body: bytes, signature: str, now: datetime | None = None) -> str:
    """Apply a signed delivery receipt ({"reference": …, "status": delivered | permanent-failure |
    temporary-failure}) to the SMS it is about; only an SMS waiting for its report changes (a duplicate
    receipt changes nothing). Raises ReceiptRefused for a bad signature, ReceiptInvalid for a bad body.
    Returns the state afterwards, or "unknown" / "unchanged"."""
    if not settings.SMS_RECEIPT_SECRET or not hmac.compare_digest(
        sms_receipt_signature(body=body), (signature or "").strip().lower().removeprefix("sha256=")
    ):
        raise ReceiptRefused
    try:
        data = json.loads(body)
        reference = uuid.UUID(str(data["reference"]))
        state = RECEIPT_STATES[str(data["status"])]
    except (ValueError, KeyError, TypeError) as error:
        raise ReceiptInvalid(str(error)) from None
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .filter(reference=reference, channel=NoticeChannel.SMS)
            .select_related("recipient_person", "recipient_organisation")
            .first()
        )
        if notification is None:
            return "unknown"
        if notification.state != NotificationState.SENDING:
            return "unchanged"
        fallback = None
        notification.state = state
        if state == NotificationState.DELIVERED:
            notification.delivered_at = now
        elif state == NotificationState.TEMPORARY_FAILURE and now - notification.created_at < timedelta(
            hours=settings.NOTIFICATIONS_RETRY_HOURS
        ):
            notification.next_attempt_at = now + retry_delay(notification.attempts)
        else:
            notification.failed_at = now
            fallback = _fallback_email(notification, now)
        notification.save(update_fields=["state", "delivered_at", "failed_at", "next_attempt_at"])
        if fallback is not None:
            transaction.on_commit(partial(hand_off, ids=[fallback.pk]))
    return notification.state
