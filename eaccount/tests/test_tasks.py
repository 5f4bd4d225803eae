"""The end of fixed-term staff roles is recorded once: the service, the task eagerly, and a real worker."""

from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.utils import timezone

from audit.models import AuditEvent
from eaccount import services, tasks
from eaccount.constants import StaffRoleKind

from .factories import StaffRoleFactory


def expire_events():
    return AuditEvent.objects.filter(action="role.expire")


@pytest.fixture
def roles():
    now = timezone.now()
    return {
        "expired": StaffRoleFactory(
            valid_from=now - timedelta(days=30), valid_until=now - timedelta(hours=1)
        ),
        "expired_centre": StaffRoleFactory(
            kind=StaffRoleKind.CENTRE_SPECIALIST,
            valid_from=now - timedelta(days=30),
            valid_until=now - timedelta(minutes=1),
        ),
        "running": StaffRoleFactory(valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=1)),
        "permanent": StaffRoleFactory(valid_from=now - timedelta(days=400)),
        "revoked_early": StaffRoleFactory(
            valid_from=now - timedelta(days=30),
            valid_until=now - timedelta(days=1),
            revoked_at=now - timedelta(days=10),
        ),
    }


@pytest.mark.django_db
def test_expired_roles_get_one_event_each(roles):
    # given two fixed-term roles that ended, one running, one permanent and one revoked before its end
    # when the expiry is recorded
    recorded = services.staff_roles_record_expired()
    # then the two ended roles have one "role.expire" event each, by the system
    assert recorded == 2
    events = {event.object_id: event for event in expire_events()}
    assert set(events) == {str(roles["expired"].pk), str(roles["expired_centre"].pk)}
    event = events[str(roles["expired"].pk)]
    assert event.object_type == "eaccount.staffrole"
    assert event.actor_id is None
    assert event.data["user"] == roles["expired"].user_id
    assert event.data["kind"] == "agency_staff"
    assert event.data["agency"] == roles["expired"].agency.code


@pytest.mark.django_db
def test_recording_again_changes_nothing(roles):
    services.staff_roles_record_expired()
    # when it runs a second time
    recorded = services.staff_roles_record_expired()
    # then nothing new is written
    assert recorded == 0
    assert expire_events().count() == 2


@pytest.mark.django_db
def test_a_role_is_recorded_when_its_time_comes(roles):
    services.staff_roles_record_expired()
    # when the clock passes the end of the running role
    recorded = services.staff_roles_record_expired(now=timezone.now() + timedelta(days=2))
    # then it is recorded too, and only it
    assert recorded == 1
    assert expire_events().filter(object_id=str(roles["running"].pk)).count() == 1


@pytest.mark.django_db
def test_task_runs_the_service_eagerly(roles):
    result = tasks.staff_roles_record_expired.delay()
    assert result.get() == 2
    assert expire_events().count() == 2


def test_task_is_late_acknowledged_and_scheduled(settings):
    assert tasks.staff_roles_record_expired.acks_late is True
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "eaccount.tasks.staff_roles_record_expired" in scheduled
    assert tasks.staff_roles_record_expired.name == "eaccount.tasks.staff_roles_record_expired"


@pytest.mark.worker
def test_task_runs_on_a_real_worker(celery_worker_thread):
    # given an expired role, committed so that the worker's own connection sees it
    now = timezone.now()
    role = StaffRoleFactory(valid_from=now - timedelta(days=30), valid_until=now - timedelta(hours=1))
    # when the task goes through the broker to a real worker
    result = tasks.staff_roles_record_expired.delay()
    assert not isinstance(result, EagerResult)
    # then the worker ran it and the event is in the audit trail
    assert result.get(timeout=20) == 1
    assert result.successful()
    assert expire_events().filter(object_id=str(role.pk)).count() == 1
    # and sending it again is harmless
    assert tasks.staff_roles_record_expired.delay().get(timeout=20) == 0
    assert expire_events().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_record_each_expiry_once():
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    # given ten ended roles
    now = timezone.now()
    for _ in range(10):
        StaffRoleFactory(valid_from=now - timedelta(days=30), valid_until=now - timedelta(hours=1))
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(services.staff_roles_record_expired())
        finally:
            connections.close_all()

    # when two workers run the job at the same moment
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then each role got exactly one event, written by one of them
    assert sorted(results) == [0, 10]
    assert expire_events().count() == 10
