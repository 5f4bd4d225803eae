"""case_notify_client: thin, idempotent, enqueued on commit; once through a real worker on Redis. The notice
goes through notifications.notify: the e-account message at once, the e-mail by its own task after the
commit (notifications/tests cover that task's faults)."""

import smtplib
import time
from unittest import mock

import pytest
from celery.result import EagerResult
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from eaccount.models import Message
from kernel.actors import Actor
from notifications import tasks as notification_tasks
from notifications.models import Notification
from requests_registry import services, tasks
from requests_registry.constants import Basis, CaseStatus, Channel

from .factories import VALID_DATA, CaseFactory, ServiceFactory, UserFactory


def _email_notice(change):
    return Notification.objects.get(dedupe_key=f"case-status:{change.pk}", channel="email")


@pytest.mark.django_db
def test_task_is_late_acknowledged_and_runs_eagerly_twice_safely(django_capture_on_commit_callbacks):
    assert tasks.case_notify_client.acks_late is True
    case = CaseFactory()
    change = case.status_changes.get()
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the e-mail is sent by its own task, after the commit
        assert tasks.case_notify_client.delay(case.pk, change.pk).get() is True
        assert tasks.case_notify_client.delay(case.pk, change.pk).get() is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_dying_before_the_mail_server_took_the_e_mail_sends_it_once_when_run_again(
    django_capture_on_commit_callbacks,
):
    # given a notification whose e-mail is being sent when the worker dies
    case = CaseFactory()
    change = case.status_changes.get()
    key = f"case-status:{change.pk}"
    with (
        mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SystemExit("killed")),
        pytest.raises(SystemExit),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.case_notify_client.delay(case.pk, change.pk)
    # then the e-account message is there, the e-mail still waits to be sent (its attempt rolled back) ...
    assert Message.objects.filter(source_key=key).count() == 1 and mail.outbox == []
    assert _email_notice(change).state == "created" and _email_notice(change).attempts == 0
    # ... and its task run again (the broker gives it out again, or beat) sends it, once
    assert notification_tasks.notification_deliver.delay(_email_notice(change).pk).get() == "delivered"
    assert notification_tasks.notification_deliver.delay(_email_notice(change).pk).get() == "skipped"
    assert tasks.case_notify_client.delay(case.pk, change.pk).get() is False
    assert Message.objects.filter(source_key=key).count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_that_refuses_the_e_mail_keeps_the_e_account_message_and_retries_later(
    django_capture_on_commit_callbacks,
):
    case = CaseFactory()
    change = case.status_changes.get()
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.case_notify_client.delay(case.pk, change.pk)
    assert Message.objects.filter(source_key=f"case-status:{change.pk}").count() == 1
    notice = _email_notice(change)
    assert notice.state == "temporary_failure" and notice.attempts == 1
    assert notice.next_attempt_at > timezone.now() and "SMTPServerDisconnected" in notice.last_error


@pytest.mark.django_db
def test_hidden_change_sends_nothing(django_capture_on_commit_callbacks):
    case = CaseFactory(status=CaseStatus.REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_change_status(
            actor=Actor.system("test"), case=case, to=CaseStatus.IN_PROGRESS, visible_to_client=False
        )
    assert mail.outbox == [] and not Message.objects.exists()


@pytest.mark.worker
def test_notification_through_a_real_worker(celery_worker_thread):
    # given a case submitted and committed (the worker has its own connection)
    user = UserFactory()
    case = services.case_submit(
        service=ServiceFactory(),
        client=user.person,
        actor=Actor(user=user, basis=Basis.SELF, channel=Channel.E_SERVICE),
        data=dict(VALID_DATA),
    )
    change = case.status_changes.get()
    # when the task goes through the broker to the worker (and the e-mail's task after it)
    result = tasks.case_notify_client.delay(case.pk, change.pk)
    assert not isinstance(result, EagerResult)
    result.get(timeout=20)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not Notification.objects.filter(
        dedupe_key=f"case-status:{change.pk}", channel="email", state="delivered"
    ):
        time.sleep(0.1)
    # then exactly one message and one e-mail exist, whichever of the two runs (on commit + this one) came first
    assert Message.objects.filter(source_key=f"case-status:{change.pk}").count() == 1
    assert len([m for m in mail.outbox if case.number in m.subject]) == 1


def test_stale_draft_files_are_purged(settings):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    old = default_storage.save("drafts/old.pdf", ContentFile(b"%PDF"))
    fresh = default_storage.save("drafts/fresh.pdf", ContentFile(b"%PDF"))
    two_days_ago = time.time() - 48 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    assert tasks.drafts_purge_stale.delay().get() == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)
    assert tasks.drafts_purge_stale.delay().get() == 0


@pytest.mark.django_db
def test_a_notice_whose_task_was_lost_is_found_and_sent_once(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from requests_registry.models import StatusChange

    lost = CaseFactory()
    lost_change = lost.status_changes.get()
    recent, hidden, old = CaseFactory(), CaseFactory(), CaseFactory()
    now = timezone.now()
    StatusChange.objects.filter(pk=lost_change.pk).update(at=now - timedelta(minutes=2))
    StatusChange.objects.filter(case=hidden).update(at=now - timedelta(minutes=2), visible_to_client=False)
    StatusChange.objects.filter(case=old).update(at=now - timedelta(hours=1))
    Message.objects.all().delete()  # no notice went out for any of them (the factory's were eager)
    mail.outbox.clear()

    # the lost one only: not the one still within its first minute, not a hidden change, not an old one
    assert services.case_notifications_missing(now=now) == [(lost.pk, lost_change.pk)]
    assert recent.pk not in {case_id for case_id, _c in services.case_notifications_missing(now=now)}

    # beat sends it through the outbox (eager here): the notice and its e-mail, once
    with django_capture_on_commit_callbacks(execute=True):
        assert services.case_notifications_resend_missing(now=now) == 1
    assert Message.objects.filter(source_key=f"case-status:{lost_change.pk}").count() == 1
    assert len([m for m in mail.outbox if lost.number in m.subject]) == 1
    assert services.case_notifications_resend_missing(now=now) == 0
