"""The agency admin's week of notifications: one GROUP BY query, their agencies only, others "not found"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.tests.factories import AgencyFactory
from eaccount.tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from notifications import selectors
from notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/notifications/agency/"


def login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()


def notice(agency, *, topic="case_status_changed", channel="email", state="created", days_ago=0, **fields):
    person = PersonFactory()
    row = Notification.objects.create(
        dedupe_key=f"stats-{person.pk}-{channel}",
        topic=topic,
        kind="case_status",
        channel=channel,
        party_key=f"p:{person.pk}",
        recipient_key=f"p:{person.pk}",
        recipient_person=person,
        basis="self",
        language="lv",
        agency=agency,
        state=state,
        **fields,
    )
    if days_ago:
        Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return row


@pytest.fixture
def week():
    """Two agencies' notices of this week, and an older one."""
    mine, theirs = AgencyFactory(), AgencyFactory()
    now = timezone.now()
    notice(mine, state="delivered", sent_at=now, delivered_at=now)
    notice(mine, state="delivered", sent_at=now, delivered_at=now)
    notice(mine, state="permanent_failure", failed_at=now)
    notice(mine, state="temporary_failure")
    notice(mine, channel="sms", state="sending", sent_at=now)
    notice(
        mine, channel="e_account", topic="case_result_ready", state="delivered", sent_at=now, delivered_at=now
    )
    notice(mine, state="delivered", sent_at=now, delivered_at=now, days_ago=8)  # last week
    notice(theirs, state="technical_failure", failed_at=now)
    return mine, theirs


def test_the_week_is_counted_per_topic_and_channel_in_one_query(week):
    mine, _theirs = week

    with CaptureQueriesContext(connection) as queries:
        stats = selectors.notification_stats_for_agencies(agency_ids={mine.pk}, since=selectors.week_start())

    assert len(queries) == 1
    got = {
        (row.topic, row.channel): (row.total, row.sent, row.delivered, row.failed, row.retrying)
        for row in stats
    }
    # (the week starts on Monday: the notice of 8 days ago is not in it)
    assert got[("case_status_changed", "email")] == (4, 2, 2, 1, 1)
    assert got[("case_status_changed", "sms")] == (1, 1, 0, 0, 0)
    assert got[("case_result_ready", "e_account")] == (1, 1, 1, 0, 0)


def test_the_week_starts_on_monday_riga_time():
    riga = ZoneInfo("Europe/Riga")
    wednesday = datetime(2026, 12, 2, 10, 0, tzinfo=riga)

    start = selectors.week_start(wednesday)

    assert start == datetime(2026, 11, 30, 0, 0, tzinfo=riga)


def test_platform_admins_see_every_agency(week):
    stats = selectors.notification_stats_for_agencies(
        agency_ids=None, since=timezone.now() - timedelta(days=7)
    )

    assert sum(row.failed for row in stats) == 2


def test_the_agency_admin_sees_their_agencys_figures(client, week):
    mine, _theirs = week
    login(client, StaffRoleFactory(kind="agency_admin", agency=mine).user)

    response = client.get(URL)

    assert response.status_code == 200
    assert reverse("notifications:agency-stats") == URL
    rows = {(row.topic, row.channel): row for _label, _channel, row in response.context["rows"]}
    assert rows[("case_status_changed", "email")].failed == 1  # not the other agency's technical failure
    assert response.context["totals"]["failed"] == 1


def test_a_platform_admin_sees_all(client, week):
    login(client, StaffRoleFactory(kind="platform_admin").user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["totals"]["failed"] == 2


@pytest.mark.parametrize("who", ["agency_staff", "citizen", "anonymous"])
def test_others_get_not_found(client, week, who):
    mine, _theirs = week
    if who == "agency_staff":
        login(client, StaffRoleFactory(kind="agency_staff", agency=mine).user)
    elif who == "citizen":
        login(client, UserFactory())

    response = client.get(URL)

    assert response.status_code in ((404,) if who != "anonymous" else (302, 404))
