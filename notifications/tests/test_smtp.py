"""A notice's e-mail through Django's SMTP backend to a real SMTP server (aiosmtpd) the test starts on a
loopback port: the message arrives, in Latvian, and the notification is delivered."""

import email
import email.policy
import logging
import socket
import threading

import pytest

from notifications import services
from notifications.models import Notification

from .factories import person_choosing

pytestmark = pytest.mark.django_db
CONTEXT = {"number": "1011-0000042", "service": "Bērna kopšanas pabalsts", "status": "Reģistrēts", "note": ""}


class _Sink:
    """aiosmtpd's handler: keeps every message it is given (envelope recipients and the parsed mail)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """An SMTP server on a loopback port, and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()


def test_a_notice_is_e_mailed_through_a_real_smtp_server(smtp_sink, django_capture_on_commit_callbacks):
    # given a person with a confirmed e-mail address who chose e-mail, in Latvian
    person = person_choosing(by_email=True, by_sms=False, email="anna.smtp@example.lv")

    # when they are notified and the e-mail's task runs after the commit
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(
            party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="smtp-1"
        )

    # then the SMTP server got one message, to them, with the Latvian subject and body
    assert [row.channel for row in created] == ["e_account", "email"]
    assert len(smtp_sink.messages) == 1
    recipients, message = smtp_sink.messages[0]
    assert recipients == ["anna.smtp@example.lv"]
    assert str(message["Subject"]) == "Lieta 1011-0000042: Reģistrēts"
    assert "Pakalpojums: Bērna kopšanas pabalsts" in message.get_content()
    # and the e-mail's notification is delivered
    sent = Notification.objects.get(dedupe_key="smtp-1", channel="email")
    assert sent.state == "delivered" and sent.attempts == 1 and sent.delivered_at is not None
