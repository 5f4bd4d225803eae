"""Satisfaction thresholds: the one aggregate query, crossings told once to the agency's admins, the
agency admin's pages (another agency's service "not found")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eaccount.tests.factories import StaffRoleFactory
from kernel.actors import Actor
from kernel.constants import Channel
from kernel.errors import NotFound
from notifications.models import Notification
from requests_registry import services
from requests_registry.constants import ConsultationOutcome
from requests_registry.models import Consultation, Feedback, SatisfactionThreshold
from requests_registry.selectors.thresholds import agency_admin_persons, satisfaction_by_service
from requests_registry.tasks import satisfaction_thresholds_evaluate

from .factories import AgencyFactory, CaseFactory, ServiceFactory, UserFactory, login, staff_of

pytestmark = pytest.mark.django_db
TOPIC = "satisfaction_threshold_crossed"


def rate(service, *ratings, days_ago: float = 0, consultation: bool = False):
    """Feedback on new cases (or consultations) of `service`, given `days_ago`."""
    made = []
    for rating in ratings:
        if consultation:
            target = Consultation.objects.create(
                service=service,
                channel=Channel.PHONE,
                topic="Jautājums",
                duration_minutes=5,
                consulted_by=UserFactory(),
                outcome=ConsultationOutcome.ANSWERED,
            )
            made.append(Feedback.objects.create(consultation=target, rating=rating))
        else:
            made.append(Feedback.objects.create(case=CaseFactory(service=service), rating=rating))
    if days_ago:
        Feedback.objects.filter(pk__in=[f.pk for f in made]).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return made


def threshold(service, below="3.50", days=30, ratings=3):
    return SatisfactionThreshold.objects.create(
        service=service, below_average=Decimal(below), window_days=days, min_ratings=ratings
    )


def admin_of(agency):
    return StaffRoleFactory(kind="agency_admin", agency=agency).user


def told(topic=TOPIC):
    return Notification.objects.filter(topic=topic, channel="e_account")


# --- the aggregate -------------------------------------------------------------------------------------


def test_the_ratings_of_every_thresholded_service_are_read_in_one_query_each_in_its_own_window():
    # given two services with thresholds of 30 and 7 days, and one without a threshold
    month, week, none = ServiceFactory(), ServiceFactory(), ServiceFactory()
    threshold(month, days=30)
    threshold(week, days=7)
    rate(month, 1, 2)
    rate(month, 3, consultation=True)
    rate(month, 5, days_ago=20)
    rate(month, 5, days_ago=40)  # outside its window
    rate(week, 4)
    rate(week, 1, days_ago=20)  # outside the 7-day window
    rate(none, 1)

    # when they are read
    with CaptureQueriesContext(connection) as queries:
        seen = satisfaction_by_service()

    # then one query gave each its count and average in its own window
    assert len(queries) == 1
    assert seen[month.pk].count == 4 and seen[month.pk].average == Decimal("2.75")
    assert seen[week.pk].count == 1 and seen[week.pk].average == Decimal("4.00")
    assert none.pk not in seen


# --- crossings ------------------------------------------------------------------------------------------


def test_a_crossing_tells_the_agencys_admins_once_however_often_it_runs():
    # given a service whose ratings fell below its threshold, two admins of its agency, a staff member
    # of it, and an admin of another agency
    service = ServiceFactory()
    first, second = admin_of(service.agency), admin_of(service.agency)
    staff = staff_of(service.agency)
    other = admin_of(AgencyFactory())
    item = threshold(service)
    rate(service, 2, 3, 3)

    # when beat evaluates it three times
    crossed = services.satisfaction_thresholds_evaluate()
    satisfaction_thresholds_evaluate.delay()
    services.satisfaction_thresholds_evaluate()

    # then both admins were told once, nobody else; the threshold is crossed
    item.refresh_from_db()
    assert crossed == 1
    assert sorted(told().values_list("recipient_person_id", flat=True)) == sorted(
        [first.person_id, second.person_id]
    )
    assert not told().filter(recipient_person_id__in=[staff.person_id, other.person_id]).exists()
    assert item.crossed_at is not None and item.crossings == 1
    assert item.last_count == 3 and item.last_average == Decimal("2.67")
    message = told().get(recipient_person_id=first.person_id)
    assert service.title_lv in message.subject and "2,67" in message.body


def test_it_is_told_again_only_after_it_recovered_and_crossed_again():
    service = ServiceFactory()
    admin = admin_of(service.agency)
    item = threshold(service, ratings=3)
    low = rate(service, 1, 2, 3)
    services.satisfaction_thresholds_evaluate()

    # recovered: the ratings now average 3.5 or more
    rate(service, 5, 5, 5, 5)
    services.satisfaction_thresholds_evaluate()
    item.refresh_from_db()
    assert item.crossed_at is None and told().count() == 1

    # crossed again: the good ratings are past the window, new bad ones came
    Feedback.objects.exclude(pk__in=[f.pk for f in low]).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    rate(service, 1, 1)
    crossed = services.satisfaction_thresholds_evaluate()

    item.refresh_from_db()
    assert crossed == 1 and item.crossings == 2
    assert told().filter(recipient_person_id=admin.person_id).count() == 2


def test_too_few_ratings_say_nothing_either_way():
    service = ServiceFactory()
    admin_of(service.agency)
    item = threshold(service, ratings=20)
    rate(service, 1, 1, 1)

    crossed = services.satisfaction_thresholds_evaluate()

    item.refresh_from_db()
    assert crossed == 0 and item.crossed_at is None and item.last_count == 3
    assert not told().exists()


def test_a_threshold_met_exactly_is_not_crossed():
    service = ServiceFactory()
    admin_of(service.agency)
    threshold(service, below="3.50", ratings=2)
    rate(service, 3, 4)

    assert services.satisfaction_thresholds_evaluate() == 0
    assert not told().exists()


def test_a_revoked_admin_is_not_told():
    service = ServiceFactory()
    role = StaffRoleFactory(kind="agency_admin", agency=service.agency)
    role.revoked_at = timezone.now() - timedelta(days=1)
    role.save(update_fields=["revoked_at"])

    assert agency_admin_persons(agency_ids=[service.agency_id]) == {}


# --- the service that sets one -------------------------------------------------------------------------


def test_an_admin_cannot_set_a_threshold_of_another_agencys_service():
    admin = admin_of(AgencyFactory())
    service = ServiceFactory()

    with pytest.raises(NotFound):
        services.satisfaction_threshold_set(
            actor=_actor(admin),
            service=service,
            below_average="3.5",
            window_days=30,
            min_ratings=20,
        )

    assert not SatisfactionThreshold.objects.exists()


def _actor(user):
    return Actor(user=user, channel=Channel.AGENCY, assurance="high")


def test_changing_a_crossed_threshold_starts_it_afresh():
    service = ServiceFactory()
    admin = admin_of(service.agency)
    item = threshold(service, ratings=1)
    rate(service, 1)
    services.satisfaction_thresholds_evaluate()

    services.satisfaction_threshold_set(
        actor=_actor(admin), service=service, below_average="2.00", window_days=30, min_ratings=1
    )

    item.refresh_from_db()
    assert item.crossed_at is None and item.below_average == Decimal("2.00")


# --- the pages ----------------------------------------------------------------------------------------


def edit_url(service):
    return reverse("requests_registry:threshold-edit", kwargs={"code": service.code})


def test_the_agency_admin_lists_and_sets_thresholds_of_their_services(client):
    service = ServiceFactory()
    other = ServiceFactory()
    login(client, admin_of(service.agency))

    listed = client.get(reverse("requests_registry:thresholds"))
    saved = client.post(edit_url(service), {"below_average": "3,2", "window_days": "14", "min_ratings": "10"})

    assert listed.status_code == 200
    assert service.code in listed.text and other.code not in listed.text
    assert saved.status_code == 302
    item = SatisfactionThreshold.objects.get(service=service)
    assert (item.below_average, item.window_days, item.min_ratings) == (Decimal("3.20"), 14, 10)


def test_bad_values_are_shown_next_to_their_fields(client):
    service = ServiceFactory()
    login(client, admin_of(service.agency))

    response = client.post(edit_url(service), {"below_average": "7", "window_days": "0", "min_ratings": "x"})

    assert response.status_code == 400
    assert 'id="id_below_average_error"' in response.text
    assert 'id="id_window_days_error"' in response.text
    assert 'id="id_min_ratings_error"' in response.text
    assert not SatisfactionThreshold.objects.exists()


def test_the_admin_removes_a_threshold(client):
    service = ServiceFactory()
    login(client, admin_of(service.agency))
    threshold(service)

    response = client.post(edit_url(service), {"remove": "1"})

    assert response.status_code == 302
    assert not SatisfactionThreshold.objects.exists()


@pytest.mark.parametrize("who", ["other_agency_admin", "own_agency_staff", "citizen"])
def test_others_get_not_found_and_change_nothing(client, who):
    service = ServiceFactory()
    item = threshold(service)
    user = {
        "other_agency_admin": lambda: admin_of(AgencyFactory()),
        "own_agency_staff": lambda: staff_of(service.agency),
        "citizen": lambda: UserFactory(),
    }[who]()
    login(client, user)

    got = client.get(edit_url(service))
    posted = client.post(edit_url(service), {"below_average": "1", "window_days": "1", "min_ratings": "1"})
    removed = client.post(edit_url(service), {"remove": "1"})

    assert (got.status_code, posted.status_code, removed.status_code) == (404, 404, 404)
    item.refresh_from_db()
    assert (item.below_average, item.window_days, item.min_ratings) == (Decimal("3.50"), 30, 3)
    if who != "other_agency_admin":
        assert client.get(reverse("requests_registry:thresholds")).status_code == 404
