"""Paying online: a payment session opened by the payer, sent to the gateway, and closed by the
gateway's signed notification — which changes something once, and only when it is right."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from audit import services as audit
from kernel.actors import Actor

from .. import rules
from ..constants import PAYMENT_SESSION_MINUTES, PaymentsAuditAction, PaymentSessionState, PaymentSource
from ..exceptions import (
    NothingToPay,
    PaymentNotificationInvalid,
    PaymentSessionClosed,
)
from ..gateways import Gateway, PaymentRequest
from ..models import Invoice, PaymentSession
from .received import _locked_invoice, payment_record


@transaction.atomic
def payment_session_start(*, actor: Actor, invoice: Invoice, gateway: Gateway) -> tuple[PaymentSession, str]:
    """Open a session to pay what is left of `invoice` through `gateway`; returns it and the URL to
    send the payer to. Refused (NothingToPay) when nothing is left to pay."""
    locked = _locked_invoice(invoice.pk)
    if not rules.payment_session_start_allowed(locked):
        raise NothingToPay()
    session = PaymentSession.objects.create(
        invoice=locked,
        gateway=gateway.code,
        amount=locked.amount_due,
        expires_at=timezone.now() + datetime.timedelta(minutes=PAYMENT_SESSION_MINUTES),
        started_by=actor.user_or_none,
    )
    audit.record(
        action=PaymentsAuditAction.PAYMENT_SESSION_START,
        actor=actor,
        acting_for=locked.payer,
        target=locked,
        data={"reference": locked.reference, "amount": str(session.amount), "gateway": gateway.code},
    )
    url = gateway.start_url(
        PaymentRequest(
            session_id=str(session.pk),
            reference=locked.reference,
            amount=session.amount,
            payee_name=locked.payee.legal_name,
            description=f"{locked.service_code} {locked.case.number}",
            notify_url="",
        )
    )
    return session, url


def _session_locked(*, session_id: str, gateway: Gateway) -> PaymentSession:
    try:
        key = uuid.UUID(session_id)
    except (TypeError, ValueError):
        raise PaymentNotificationInvalid() from None
    session = (
        PaymentSession.objects.select_for_update(of=("self",))
        .select_related("invoice")
        .filter(pk=key, gateway=gateway.code)
        .first()
    )
    if session is None:
        raise PaymentNotificationInvalid()
    return session


@transaction.atomic
def payment_notification_accept(*, actor: Actor, gateway: Gateway, data) -> PaymentSession:
    """The gateway tells how a session ended. Nothing changes for a notification with a bad signature,
    an unknown session, another reference or amount than the session's (PaymentNotificationInvalid),
    or for an expired or already closed session (PaymentSessionClosed) — except that the very same
    "paid" told again is answered as before (a replay changes nothing)."""
    notification = gateway.notification_parse(data)
    session = _session_locked(session_id=notification.session_id, gateway=gateway)
    if notification.reference != session.invoice.reference or notification.amount != session.amount:
        raise PaymentNotificationInvalid()
    if session.state == PaymentSessionState.PAID and notification.paid:
        return session  # told again: recorded the first time
    if not rules.payment_session_completable(session, now=timezone.now()):
        raise PaymentSessionClosed()
    now = timezone.now()
    if notification.paid:
        payment_record(
            actor=actor,
            invoice=session.invoice,
            amount=session.amount,
            source=PaymentSource.GATEWAY,
            source_key=str(session.pk),
            paid_on=notification.paid_on or timezone.localdate(now),
        )
    session.state = PaymentSessionState.PAID if notification.paid else PaymentSessionState.CANCELLED
    session.completed_at = now
    session.save(update_fields=["state", "completed_at"])
    return session


def payment_notification_refused(*, actor: Actor, gateway: Gateway, code: str, data) -> None:
    """Keep a refused notification in the audit trail (after the refusal rolled everything back)."""
    audit.record(
        action=PaymentsAuditAction.PAYMENT_CALLBACK_REFUSED,
        actor=actor,
        reason=code,
        data={
            "gateway": gateway.code,
            "session": str(data.get("session", ""))[:40],
            "reference": str(data.get("reference", ""))[:40],
            "amount": str(data.get("amount", ""))[:20],
        },
    )


def payment_sessions_expire(*, now: datetime.datetime | None = None) -> int:
    """Open sessions past their time are closed as expired (one statement; for beat)."""
    now = now or timezone.now()
    return PaymentSession.objects.filter(state=PaymentSessionState.OPEN, expires_at__lte=now).update(
        state=PaymentSessionState.EXPIRED, completed_at=now
    )
