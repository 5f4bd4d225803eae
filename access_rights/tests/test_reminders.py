"""The terms kept: warnings 14 and 3 days before a fixed-term role ends, and the weekly count of roles
unused for 90 days to their admins — with a moving clock (`now=`)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from access_rights import tasks
from access_rights.services._common import term_end
from access_rights.services.reminders import staff_roles_expiry_warn, staff_roles_inactive_review
from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.models import Message
from eaccount.tests.factories import StaffRoleFactory, UserFactory
from kernel.actors import Actor
from notifications.models import Notification

pytestmark = pytest.mark.django_db

EXPIRING = "staff_role_expiring"
INACTIVE = "staff_roles_inactive"
ACTOR = Actor.system("Access rights job")


@pytest.fixture
def now():
    """Noon today, local time: days added keep the local date whatever the DST change."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))


@pytest.fixture
def agency():
    return AgencyFactory()


def _role(now, *, last_day_in=None, begun_days_ago=200, **fields):
    """A role begun `begun_days_ago`, fixed-term until the day `last_day_in` days from `now`'s day
    (permanent without it)."""
    if last_day_in is not None:
        fields["valid_until"] = term_end(timezone.localdate(now) + timedelta(days=last_day_in))
    return StaffRoleFactory(valid_from=now - timedelta(days=begun_days_ago), **fields)


def _admin(now, kind="agency_admin", **fields):
    return _role(now, kind=kind, **fields).user.person


def _warnings(person) -> Counter:
    """{threshold: how many warnings} the person got (one per role and threshold, whatever the channels)."""
    rows = Notification.objects.filter(topic=EXPIRING, recipient_person=person).values_list(
        "dedupe_key", "context"
    )
    # role-expiry:<role>:<last day>:<threshold>:<person> (the context says the days actually left)
    return Counter({key: int(key.split(":")[3]) for key, _context in rows}.values())


def _reviews(person):
    """The counts the person was told in inactivity reviews, oldest first."""
    rows = (
        Notification.objects.filter(topic=INACTIVE, recipient_person=person, channel="e_account")
        .order_by("id")
        .values_list("context", flat=True)
    )
    return [int(context["count"]) for context in rows]


# --- expiry warnings ----------------------------------------------------------------------------------


def test_a_role_ending_in_14_days_warns_its_holder_and_the_agency_admin_in_their_e_account(now, agency):
    admin = _admin(now, agency=agency)
    role = _role(now, agency=agency, last_day_in=14)
    holder = role.user.person

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 2

    assert _warnings(holder) == {14: 1}
    assert _warnings(admin) == {14: 1}
    assert Message.objects.filter(person=holder).count() == 1
    assert Message.objects.filter(person=admin).count() == 1
    told = Notification.objects.filter(topic=EXPIRING, recipient_person=holder, channel="e_account").get()
    assert told.dedupe_key.startswith(f"role-expiry:{role.pk}:")
    assert told.link_url == "/rights/staff/"
    event = AuditEvent.objects.get(action="role.expiry_warned")
    assert event.data == {"roles": 1, "notices": 2}


def test_a_second_run_sends_nothing_new(now, agency):
    _admin(now, agency=agency)
    _role(now, agency=agency, last_day_in=14)
    staff_roles_expiry_warn(actor=ACTOR, now=now)
    notices, messages = Notification.objects.count(), Message.objects.count()

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 0
    assert staff_roles_expiry_warn(actor=ACTOR, now=now + timedelta(days=1)) == 0  # 13 days left

    assert (Notification.objects.count(), Message.objects.count()) == (notices, messages)
    assert (
        AuditEvent.objects.filter(action="role.expiry_warned").count() == 1
    )  # none for a run sending nothing


def test_three_days_before_the_end_both_are_warned_again_once(now, agency):
    admin = _admin(now, agency=agency)
    holder = _role(now, agency=agency, last_day_in=14).user.person
    staff_roles_expiry_warn(actor=ACTOR, now=now)

    later = now + timedelta(days=11)  # the last day is 3 days away
    assert staff_roles_expiry_warn(actor=ACTOR, now=later) == 2
    assert staff_roles_expiry_warn(actor=ACTOR, now=later + timedelta(days=1)) == 0

    assert _warnings(holder) == {14: 1, 3: 1}
    assert _warnings(admin) == {14: 1, 3: 1}


def test_a_skipped_day_still_warns_at_the_next_run(now, agency):
    holder = _role(now, agency=agency, last_day_in=15).user.person

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 0  # 15 days left: not yet
    assert staff_roles_expiry_warn(actor=ACTOR, now=now + timedelta(days=2)) == 1  # 13 left (14 skipped)

    assert _warnings(holder) == {14: 1}


def test_a_role_first_seen_two_days_before_its_end_gets_only_the_3_day_warning(now, agency):
    admin = _admin(now, agency=agency)
    holder = _role(now, agency=agency, last_day_in=2).user.person

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 2

    assert _warnings(holder) == {3: 1}
    assert _warnings(admin) == {3: 1}


def test_permanent_revoked_and_ended_roles_are_never_warned(now, agency):
    _admin(now, agency=agency)
    permanent = _role(now, agency=agency)
    revoked = _role(now, agency=agency, last_day_in=3, revoked_at=now - timedelta(days=1))
    ended = _role(now, agency=agency, last_day_in=-1)

    for day in range(0, 20):
        assert staff_roles_expiry_warn(actor=ACTOR, now=now + timedelta(days=day)) == 0

    for role in (permanent, revoked, ended):
        assert _warnings(role.user.person) == {}
    assert not AuditEvent.objects.filter(action="role.expiry_warned").exists()


def test_an_agency_admin_role_ending_is_told_to_the_platform_admin_not_to_the_agency_admins(now, agency):
    other_agency_admin = _admin(now, agency=agency)
    platform_admin = _admin(now, kind="platform_admin")
    ending = _role(now, kind="agency_admin", agency=agency, last_day_in=14)
    holder = ending.user.person

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 2

    assert _warnings(platform_admin) == {14: 1}
    assert _warnings(holder) == {14: 1}  # as its holder, once (not also as an admin of the agency)
    assert _warnings(other_agency_admin) == {}


def test_a_centre_specialist_role_ending_is_told_to_the_centre_admin_only(now, agency):
    centre = ServiceCentreFactory()
    centre_admin = _admin(now, kind="centre_admin", centre=centre)
    other_centre_admin = _admin(now, kind="centre_admin", centre=ServiceCentreFactory())
    agency_admin = _admin(now, agency=agency)
    platform_admin = _admin(now, kind="platform_admin")
    _role(now, kind="centre_specialist", centre=centre, last_day_in=3)

    assert staff_roles_expiry_warn(actor=ACTOR, now=now) == 2

    assert _warnings(centre_admin) == {3: 1}
    for person in (other_centre_admin, agency_admin, platform_admin):
        assert _warnings(person) == {}


def test_the_warning_names_the_role_its_scope_and_its_last_day(now, agency):
    _role(now, agency=agency, last_day_in=14)
    staff_roles_expiry_warn(actor=ACTOR, now=now)

    told = Notification.objects.get(topic=EXPIRING, channel="e_account")
    last_day = timezone.localdate(now) + timedelta(days=14)
    assert told.context["until"] == f"{last_day:%d.%m.%Y}."  # the Latvian short date (the default language)
    assert told.context["scope"] == agency.name_lv
    assert told.context["days"] == "14"


# --- roles unused for 90 days -----------------------------------------------------------------------


def _staff(now, *, agency, logged_in_days_ago, begun_days_ago=120, kind="agency_staff"):
    user = UserFactory(last_login=now - timedelta(days=logged_in_days_ago))
    return _role(now, user=user, kind=kind, agency=agency, begun_days_ago=begun_days_ago)


def test_an_unused_role_is_counted_to_its_admin_once_a_week(now, agency):
    admin = _staff(now, agency=agency, logged_in_days_ago=1, kind="agency_admin").user.person
    _staff(now, agency=agency, logged_in_days_ago=100)

    assert staff_roles_inactive_review(actor=ACTOR, now=now) == 1
    assert staff_roles_inactive_review(actor=ACTOR, now=now) == 0
    assert _reviews(admin) == [1]
    told = Notification.objects.get(topic=INACTIVE, recipient_person=admin, channel="e_account")
    assert told.link_url == "/rights/review/"
    assert Message.objects.filter(person=admin).count() == 1
    assert AuditEvent.objects.get(action="role.inactivity_reviewed").data == {"admins": 1, "roles": 1}

    assert staff_roles_inactive_review(actor=ACTOR, now=now + timedelta(days=7)) == 1  # the next week
    assert _reviews(admin) == [1, 1]


def test_a_recent_login_or_a_recent_role_is_not_counted(now, agency):
    admin = _staff(now, agency=agency, logged_in_days_ago=1, kind="agency_admin").user.person
    _staff(now, agency=agency, logged_in_days_ago=1)  # logged in yesterday
    _staff(now, agency=agency, logged_in_days_ago=100, begun_days_ago=30)  # the role began 30 days ago

    assert staff_roles_inactive_review(actor=ACTOR, now=now) == 0
    assert _reviews(admin) == []
    assert not AuditEvent.objects.filter(action="role.inactivity_reviewed").exists()


def test_the_admins_own_role_is_not_counted_to_them(now, agency):
    lazy_admin_role = _staff(now, agency=agency, logged_in_days_ago=100, kind="agency_admin")
    lazy_admin = lazy_admin_role.user.person
    _role(now, user=lazy_admin_role.user, agency=agency, begun_days_ago=120)  # their own staff role too
    other_admin = _staff(now, agency=agency, logged_in_days_ago=1, kind="agency_admin").user.person
    platform_admin = _staff(now, agency=None, logged_in_days_ago=1, kind="platform_admin").user.person

    assert staff_roles_inactive_review(actor=ACTOR, now=now) == 2

    assert _reviews(lazy_admin) == []
    assert _reviews(other_admin) == [1]  # the lazy admin's staff role
    assert _reviews(platform_admin) == [1]  # the lazy admin's agency_admin role


def test_each_admin_is_told_their_own_count(now, agency):
    other_agency = AgencyFactory()
    centre = ServiceCentreFactory()
    admin = _staff(now, agency=agency, logged_in_days_ago=1, kind="agency_admin").user.person
    other_admin = _staff(now, agency=other_agency, logged_in_days_ago=1, kind="agency_admin").user.person
    centre_admin = _role(
        now, kind="centre_admin", centre=centre, user=UserFactory(last_login=now)
    ).user.person
    for _n in range(3):
        _staff(now, agency=agency, logged_in_days_ago=100)
    _staff(now, agency=other_agency, logged_in_days_ago=100)
    never = UserFactory(last_login=None)
    _role(now, user=never, kind="centre_specialist", centre=centre, begun_days_ago=120)

    assert staff_roles_inactive_review(actor=ACTOR, now=now) == 3

    assert _reviews(admin) == [3]
    assert _reviews(other_admin) == [1]
    assert _reviews(centre_admin) == [1]


# --- the tasks --------------------------------------------------------------------------------------


def test_the_tasks_run_the_services_eagerly_at_the_real_time(agency):
    real_now = timezone.now()
    admin = _staff(real_now, agency=agency, logged_in_days_ago=1, kind="agency_admin").user.person
    _role(real_now, agency=agency, last_day_in=14, begun_days_ago=30)  # too new to review
    _staff(real_now, agency=agency, logged_in_days_ago=100)

    assert tasks.staff_roles_expiry_warn.delay().get() == 2
    assert tasks.staff_roles_inactive_review.delay().get() == 1
    assert tasks.staff_roles_expiry_warn.delay().get() == 0
    assert tasks.staff_roles_inactive_review.delay().get() == 0

    assert _warnings(admin) == {14: 1}
    assert _reviews(admin) == [1]
    assert tasks.staff_roles_expiry_warn.acks_late and tasks.staff_roles_inactive_review.acks_late
    assert AuditEvent.objects.get(action="role.expiry_warned").actor_label == "Access rights job"
