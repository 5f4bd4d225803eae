import json
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification

from .factories import person_choosing

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=RIGA)
CONTEXT = {"number": "1011-0000001", "service": "Pabalsts", "status": "Reģistrēts", "note": ""}


class _Gateway(BaseHTTPRequestHandler):
    answer = 202
    delay = 0.0
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Authorization"], json.loads(body)))
        time.sleep(type(self).delay)
        self.send_response(type(self).answer)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "gw-1"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    _Gateway.answer, _Gateway.delay, _Gateway.received = 202, 0.0, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
    settings.SMS_GATEWAY_TOKEN = "gw-token"
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    yield _Gateway
    server.shutdown()
    server.server_close()


def _sms_notice(**choices):
    """A recorded SMS notification (the e-account copy made, nothing handed to a worker)."""
    person = person_choosing(**({"by_email": False, "by_sms": True} | choices))
    services.notify(party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="k-1")
    return Notification.objects.get(channel="sms")


def _deliver(notification, now=NOON):
    result = services.notification_deliver(notification_id=notification.pk, now=now)
    notification.refresh_from_db()
    return result


def test_the_gateway_takes_the_sms_and_it_waits_for_the_receipt(gateway):
    notice = _sms_notice()

    assert _deliver(notice) == "sending"

    assert notice.provider_reference == "gw-1" and notice.attempts == 1
    token, body = gateway.received[0]
    assert token == "Bearer gw-token"
    assert body == {"to": notice.to, "text": notice.body, "reference": str(notice.reference)}


def test_a_gateway_answering_500_is_a_temporary_failure_retried_with_backoff(gateway):
    gateway.answer = 500
    notice = _sms_notice()

    assert _deliver(notice) == "temporary_failure"
    assert notice.next_attempt_at == NOON + timedelta(minutes=1)
    assert _deliver(notice, now=NOON + timedelta(minutes=1)) == "temporary_failure"
    assert notice.next_attempt_at == NOON + timedelta(minutes=3) and notice.attempts == 2

    gateway.answer = 202
    assert _deliver(notice, now=NOON + timedelta(minutes=3)) == "sending"
    assert len(gateway.received) == 3


def test_a_gateway_timing_out_is_a_temporary_failure(gateway):
    gateway.delay = 2.0
    notice = _sms_notice()

    assert _deliver(notice) == "temporary_failure"
    assert "unreachable" in notice.last_error


def test_a_gateway_answering_400_is_a_permanent_failure_and_the_e_mail_goes_instead(
    gateway, django_capture_on_commit_callbacks
):
    gateway.answer = 400
    notice = _sms_notice()

    with django_capture_on_commit_callbacks(execute=True):
        assert _deliver(notice) == "permanent_failure"

    assert notice.next_attempt_at is None and notice.failed_at is not None
    fallback = Notification.objects.get(channel="email")
    assert fallback.fallback_of == notice and fallback.state == "delivered"
    assert len(mail.outbox) == 1 and "1011-0000001" in mail.outbox[0].subject
    assert _deliver(notice) == "skipped" and len(gateway.received) == 1  # no retry


def test_a_permanent_failure_without_a_confirmed_address_has_no_fallback(gateway):
    gateway.answer = 400
    notice = _sms_notice(email="")

    _deliver(notice)

    assert not Notification.objects.filter(channel="email").exists()


def _receipt(client, body: dict, signature: str | None = None):
    raw = json.dumps(body).encode()
    signature = services.sms_receipt_signature(body=raw) if signature is None else signature
    return client.post(
        reverse("notifications:sms-receipt"), raw, content_type="application/json", HTTP_X_SIGNATURE=signature
    )


def test_a_signed_receipt_marks_the_sms_delivered_and_a_duplicate_changes_nothing(client, gateway):
    notice = _sms_notice()
    _deliver(notice)

    first = _receipt(client, {"reference": str(notice.reference), "status": "delivered"})
    notice.refresh_from_db()
    delivered_at = notice.delivered_at
    duplicate = _receipt(client, {"reference": str(notice.reference), "status": "permanent-failure"})
    notice.refresh_from_db()

    assert first.status_code == 200 and first.content == b"delivered"
    assert duplicate.status_code == 200 and duplicate.content == b"unchanged"
    assert notice.state == "delivered" and notice.delivered_at == delivered_at


@pytest.mark.parametrize("signature", ["", "0" * 64, "forged"])
def test_a_forged_receipt_is_refused_and_changes_nothing(client, gateway, signature):
    notice = _sms_notice()
    _deliver(notice)

    response = _receipt(
        client, {"reference": str(notice.reference), "status": "delivered"}, signature=signature
    )

    notice.refresh_from_db()
    assert response.status_code == 403 and notice.state == "sending"


def test_receipts_are_refused_when_no_secret_is_configured(client, gateway, settings):
    notice = _sms_notice()
    _deliver(notice)
    settings.SMS_RECEIPT_SECRET = ""

    response = _receipt(
        client,
        {"reference": str(notice.reference), "status": "delivered"},
        signature=services.sms_receipt_signature(body=b"x", secret=""),
    )

    assert response.status_code == 403


def test_a_receipt_of_a_failure_falls_back_to_the_e_mail(client, gateway, django_capture_on_commit_callbacks):
    notice = _sms_notice()
    _deliver(notice)

    with django_capture_on_commit_callbacks(execute=True):
        _receipt(client, {"reference": str(notice.reference), "status": "permanent-failure"})

    notice.refresh_from_db()
    assert notice.state == "permanent_failure" and len(mail.outbox) == 1


def test_no_sms_in_quiet_hours_it_is_sent_in_the_morning(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SMS_QUIET_HOURS = (22, 8)
    night = datetime(2026, 3, 10, 23, 30, tzinfo=RIGA)
    person = person_choosing(by_email=False, by_sms=True)

    with mock.patch("notifications.services.timezone.now", return_value=night):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="k-1")
        sms = Notification.objects.get(channel="sms")
        morning = datetime(2026, 3, 11, 8, 0, tzinfo=RIGA)
        assert sms.state == "created" and sms.next_attempt_at == morning  # not handed to a worker
        assert services.notification_deliver(notification_id=sms.pk, now=night) == "quiet_hours"
        assert services.notifications_redeliver_due(now=night + timedelta(hours=1)) == 0

    with (
        mock.patch("notifications.services.timezone.now", return_value=morning + timedelta(seconds=30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.notifications_redeliver_due() == 1

    sms.refresh_from_db()
    assert sms.state == "delivered" and len(list(settings.SMS_FILE_PATH.iterdir())) == 1


def test_quiet_hours_span_midnight(settings):
    settings.NOTIFICATIONS_SMS_QUIET_HOURS = (22, 8)

    assert services.sms_quiet_hours(datetime(2026, 6, 1, 22, 0, tzinfo=RIGA))
    assert services.sms_quiet_hours(datetime(2026, 6, 1, 7, 59, tzinfo=RIGA))
    assert not services.sms_quiet_hours(datetime(2026, 6, 1, 8, 0, tzinfo=RIGA))
    assert not services.sms_quiet_hours(datetime(2026, 6, 1, 21, 59, tzinfo=RIGA))


def test_an_agency_past_its_rate_limit_waits_for_the_next_minute(settings):
    from catalogue.tests.factories import ServiceFactory

    settings.NOTIFICATIONS_AGENCY_RATE_PER_MINUTE = 1
    service = ServiceFactory()
    first, second = person_choosing(), person_choosing()
    for n, person in enumerate((first, second)):
        services.notify(
            party=person,
            topic="case_status_changed",
            context=CONTEXT,
            dedupe_key=f"k-{n}",
            service_code=service.code,
        )
    one, two = Notification.objects.filter(channel="email").order_by("pk")

    assert _deliver(one) == "delivered"
    assert _deliver(two, now=NOON + timedelta(seconds=5)) == "rate_limited"
    two.refresh_from_db()
    assert two.state == "created" and two.next_attempt_at == NOON + timedelta(minutes=1) and two.attempts == 0
    assert _deliver(two, now=NOON + timedelta(minutes=1)) == "delivered"


def test_a_lost_task_is_handed_out_again_by_beat_and_sends_once(django_capture_on_commit_callbacks):
    person = person_choosing()
    services.notify(
        party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="k-1"
    )  # on-commit lost
    email = Notification.objects.get(channel="email")
    now = timezone.now()

    assert services.notifications_redeliver_due(now=now) == 0  # still within REDELIVER_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_redeliver_due(now=now + timedelta(minutes=1)) == 1
        assert services.notifications_redeliver_due(now=now + timedelta(minutes=1)) == 0

    email.refresh_from_db()
    assert email.state == "delivered" and len(mail.outbox) == 1


def test_delivered_texts_are_purged_after_the_retention(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_RETENTION_DAYS = 30
    person = person_choosing()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="k-1")

    assert services.notifications_purge_delivered(now=timezone.now() + timedelta(days=29)) == 0
    assert services.notifications_purge_delivered(now=timezone.now() + timedelta(days=31)) == 2
    assert services.notifications_purge_delivered(now=timezone.now() + timedelta(days=31)) == 0

    assert set(Notification.objects.values_list("body", "state")) == {("", "delivered")}
