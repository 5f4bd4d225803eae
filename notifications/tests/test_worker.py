"""A notification delivered through a real Celery worker on Redis (CELERY_BROKER_URL)."""

import time

import pytest
from django.core import mail
from django.db import transaction

from notifications import services
from notifications.models import Notification

from .factories import person_choosing

CONTEXT = {"number": "1011-0000001", "service": "Pabalsts", "status": "Reģistrēts", "note": ""}


@pytest.mark.worker
def test_an_e_mail_and_an_sms_are_delivered_by_a_real_worker(celery_worker_thread, settings):
    # given a person who chose e-mail and SMS
    person = person_choosing(by_email=True, by_sms=True)

    # when they are notified (committed: the tasks go to the broker after the commit)
    with transaction.atomic():
        created = services.notify(
            party=person, topic="case_status_changed", context=CONTEXT, dedupe_key="w-1"
        )

    # then the worker delivers the e-mail and the SMS, once each
    deadline = time.monotonic() + 20
    while (
        time.monotonic() < deadline
        and Notification.objects.filter(dedupe_key="w-1", state="delivered").count() < 3
    ):
        time.sleep(0.1)
    assert len(created) == 3
    assert sorted(Notification.objects.filter(dedupe_key="w-1").values_list("channel", "state")) == [
        ("e_account", "delivered"),
        ("email", "delivered"),
        ("sms", "delivered"),
    ]
    assert len([m for m in mail.outbox if "1011-0000001" in m.subject]) == 1
    assert len(list(settings.SMS_FILE_PATH.iterdir())) == 1
