import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eaccount.tests.factories import StaffRoleFactory, UserFactory
from notifications import services

from .factories import person_choosing

pytestmark = pytest.mark.django_db

CONTEXT = {"number": "1011-0000001", "service": "Pabalsts", "status": "Reģistrēts", "note": ""}


def _login(client, user, level="high"):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = level
    session.save()


def test_platform_admins_see_every_topic_in_both_languages_with_its_sms_length(client):
    _login(client, StaffRoleFactory(kind="platform_admin").user)

    response = client.get(reverse("notifications:topics-preview"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "case_status_changed" in html and "life_event_offer" in html
    assert "Lieta 1011-0007654: Reģistrēts" in html and "Case 1011-0007654: Registered" in html
    assert "UCS-2" in html and "GSM-7" in html


@pytest.mark.parametrize("who", ["anonymous", "citizen", "agency_admin"])
def test_others_do_not_find_the_preview(client, who):
    if who == "citizen":
        _login(client, UserFactory())
    elif who == "agency_admin":
        _login(client, StaffRoleFactory(kind="agency_admin").user)

    response = client.get(reverse("notifications:topics-preview"))

    assert response.status_code == 404


def test_a_person_sees_their_notifications_with_their_states(client):
    person = person_choosing(by_email=True)
    user = UserFactory(person=person)
    for n in range(3):
        services.notify(party=person, topic="case_status_changed", context=CONTEXT, dedupe_key=f"k-{n}")
    other = person_choosing(by_email=True)
    services.notify(
        party=other, topic="case_status_changed", context=CONTEXT | {"number": "9"}, dedupe_key="x"
    )
    _login(client, user)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 6 and {n.recipient_key for n, _label in rows} == {f"person:{person.pk}"}
    html = response.content.decode()
    assert "Lieta 1011-0000001" in html and "Case 9" not in html


def test_the_notification_list_reads_one_page_in_fixed_queries(client):
    person = person_choosing(by_email=True)
    user = UserFactory(person=person)
    _login(client, user)
    client.get(reverse("notifications:list"))  # warm the session and caches
    for n in range(30):
        services.notify(party=person, topic="case_status_changed", context=CONTEXT, dedupe_key=f"k-{n}")

    client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as second_page:
        response = client.get(reverse("notifications:list") + "?page=2")

    assert response.status_code == 200 and len(response.context["rows"]) == 25
    assert len(few) == len(second_page)


def test_the_list_needs_a_login(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code in (302, 403)


def test_a_receipt_that_is_not_json_is_refused_not_a_server_error(client):
    response = client.post("/notifications/sms-receipts/", {"status": "[]"})

    assert response.status_code == 415
