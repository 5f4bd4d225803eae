"""Proactive rules' pages (agency admins, own agency only) and the one-click opt-out."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceFactory
from eaccount.models import NoticePreference
from eaccount.tests.factories import (
    OrganisationFactory,
    ParentChildFactory,
    StaffRoleFactory,
    UserFactory,
)
from notifications import proactive
from notifications.models import ProactiveRule

pytestmark = pytest.mark.django_db


def _login(client, user, level="high"):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = level
    session.save()
    return user


@pytest.fixture
def vsaa():
    agency = AgencyFactory(code="VSAA")
    return {
        "agency": agency,
        "admin": StaffRoleFactory(kind="agency_admin", agency=agency).user,
        "service": ServiceFactory(agency=agency),
    }


@pytest.fixture
def other_rule():
    """A rule of another agency's service."""
    service = ServiceFactory(agency=AgencyFactory(code="PMLP"))
    return ProactiveRule.objects.create(
        service=service, kind="document_expiry", document_kind="passport", days_before=[90, 30]
    )


RULE_FORM = {
    "kind": "document_expiry",
    "document_kind": "id_card",
    "days_before": "90, 30, 7",
    "active": "on",
}


# --- the rules' pages ------------------------------------------------------------------------------------


def test_an_agency_admin_creates_a_rule_for_their_agencys_service(client, vsaa):
    _login(client, vsaa["admin"])

    response = client.post(
        reverse("notifications:proactive-rule-create"), RULE_FORM | {"service": vsaa["service"].pk}
    )

    assert response.status_code == 302
    rule = ProactiveRule.objects.get()
    assert (rule.service, rule.kind, rule.document_kind, rule.days_before, rule.active) == (
        vsaa["service"],
        "document_expiry",
        "id_card",
        [90, 30, 7],
        True,
    )
    assert AuditEvent.objects.filter(action="proactive_rule.create").exists()
    listing = client.get(reverse("notifications:proactive-rules")).content.decode()
    assert vsaa["service"].code in listing and "90, 30, 7" in listing


def test_a_life_event_rule_is_created_and_edited(client, vsaa):
    _login(client, vsaa["admin"])
    form = {
        "service": vsaa["service"].pk,
        "kind": "life_event",
        "life_event": "child_birth",
        "within_days": "60",
    }
    client.post(reverse("notifications:proactive-rule-create"), form | {"active": "on"})
    rule = ProactiveRule.objects.get()

    response = client.post(
        reverse("notifications:proactive-rule-edit", kwargs={"rule_id": rule.pk}),
        form | {"within_days": "90"},
    )

    rule.refresh_from_db()
    assert response.status_code == 302
    assert (rule.life_event, rule.within_days, rule.active, rule.days_before) == (
        "child_birth",
        90,
        False,
        [],
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days_before": ""}, "days_before"),
        ({"days_before": "90, abc"}, "days_before"),
        ({"days_before": "0"}, "days_before"),
        ({"document_kind": ""}, "document_kind"),
        ({"kind": "life_event", "life_event": "", "within_days": ""}, "life_event"),
        ({"kind": "life_event", "life_event": "child_birth", "within_days": ""}, "within_days"),
    ],
)
def test_a_wrong_field_is_said_next_to_it_and_nothing_is_saved(client, vsaa, change, field):
    _login(client, vsaa["admin"])

    response = client.post(
        reverse("notifications:proactive-rule-create"), RULE_FORM | {"service": vsaa["service"].pk} | change
    )

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ProactiveRule.objects.exists()


def test_a_service_of_another_agency_cannot_be_chosen(client, vsaa, other_rule):
    _login(client, vsaa["admin"])

    response = client.post(
        reverse("notifications:proactive-rule-create"), RULE_FORM | {"service": other_rule.service.pk}
    )

    assert response.status_code == 200 and 'id="id_service_error"' in response.content.decode()
    assert ProactiveRule.objects.count() == 1


def test_an_admin_of_another_agency_neither_sees_nor_changes_a_rule(client, vsaa, other_rule):
    _login(client, vsaa["admin"])
    edit = reverse("notifications:proactive-rule-edit", kwargs={"rule_id": other_rule.pk})
    deactivate = reverse("notifications:proactive-rule-deactivate", kwargs={"rule_id": other_rule.pk})

    listing = client.get(reverse("notifications:proactive-rules"))
    get_edit = client.get(edit)
    post_edit = client.post(edit, RULE_FORM | {"service": vsaa["service"].pk, "days_before": "1"})
    post_deactivate = client.post(deactivate)

    assert listing.status_code == 200 and other_rule.service.code not in listing.content.decode()
    assert (get_edit.status_code, post_edit.status_code, post_deactivate.status_code) == (404, 404, 404)
    other_rule.refresh_from_db()
    assert (other_rule.active, other_rule.days_before, other_rule.service.agency.code) == (
        True,
        [90, 30],
        "PMLP",
    )


@pytest.mark.parametrize("who", ["citizen", "agency_staff", "anonymous"])
def test_the_rules_pages_are_not_found_for_anyone_but_agency_admins(client, vsaa, other_rule, who):
    if who == "citizen":
        _login(client, UserFactory())
    elif who == "agency_staff":
        _login(client, StaffRoleFactory(kind="agency_staff", agency=other_rule.service.agency).user)

    responses = [
        client.get(reverse("notifications:proactive-rules")),
        client.post(
            reverse("notifications:proactive-rule-create"), RULE_FORM | {"service": other_rule.service.pk}
        ),
        client.post(reverse("notifications:proactive-rule-deactivate", kwargs={"rule_id": other_rule.pk})),
    ]

    expected = 302 if who == "anonymous" else 404  # anonymous: to the login first
    assert [r.status_code for r in responses] == [expected] * 3
    assert ProactiveRule.objects.filter(active=True).count() == 1


def test_an_admin_deactivates_their_rule(client, vsaa):
    _login(client, vsaa["admin"])
    rule = ProactiveRule.objects.create(
        service=vsaa["service"], kind="life_event", life_event="child_birth", within_days=30
    )

    response = client.post(reverse("notifications:proactive-rule-deactivate", kwargs={"rule_id": rule.pk}))

    rule.refresh_from_db()
    assert response.status_code == 302 and rule.active is False
    assert AuditEvent.objects.filter(action="proactive_rule.deactivate").exists()


def test_deactivating_is_post_only(client, vsaa):
    _login(client, vsaa["admin"])
    rule = ProactiveRule.objects.create(
        service=vsaa["service"], kind="life_event", life_event="child_birth", within_days=30
    )

    response = client.get(reverse("notifications:proactive-rule-deactivate", kwargs={"rule_id": rule.pk}))

    rule.refresh_from_db()
    assert response.status_code == 405 and rule.active is True


# --- the one-click opt-out ----------------------------------------------------------------------------------


def _opted_in_user(kind="proactive_offer"):
    user = UserFactory()
    NoticePreference.objects.create(person=user.person, kind=kind, email=True, sms=False)
    return user


def _stop_url(party, kind="proactive_offer"):
    return proactive.opt_out_url(party=party, kind=kind)


def _opted_in(party, kind="proactive_offer"):
    return NoticePreference.objects.filter(person=party, kind=kind, email=True).exists()


def test_opening_the_link_changes_nothing_and_the_button_stops_the_offers(client):
    user = _login(client, _opted_in_user())
    url = _stop_url(user.person)

    page = client.get(url)

    assert page.status_code == 200 and '<form method="post">' in page.content.decode()
    assert _opted_in(user.person)

    done = client.post(url)

    assert done.status_code == 200 and not _opted_in(user.person)
    assert AuditEvent.objects.filter(action="notices.opt_out").exists()
    assert client.post(url).status_code == 200  # again: nothing to stop, no error


def test_the_link_stops_only_its_kind(client):
    user = _login(client, _opted_in_user(kind="reminder"))
    NoticePreference.objects.create(person=user.person, kind="proactive_offer", email=True)

    client.post(_stop_url(user.person, kind="reminder"))

    assert not _opted_in(user.person, kind="reminder") and _opted_in(user.person, kind="proactive_offer")


def test_the_link_works_without_logging_in_and_shows_no_name(client):
    user = _opted_in_user()

    page = client.get(_stop_url(user.person))
    response = client.post(_stop_url(user.person))

    assert page.status_code == 200 and user.person.last_name not in page.content.decode()
    assert response.status_code == 200 and not _opted_in(user.person)
    event = AuditEvent.objects.get(action="notices.opt_out")
    assert event.data["kind"] == "proactive_offer"


def test_a_parent_stops_the_offers_of_their_minor_child(client):
    link = ParentChildFactory()
    parent_user = _login(client, UserFactory(person=link.parent))
    NoticePreference.objects.create(person=link.child, kind="proactive_offer", email=True)

    response = client.post(_stop_url(link.child))

    assert response.status_code == 200 and not _opted_in(link.child)
    assert parent_user.person == link.parent


@pytest.mark.parametrize("forgery", ["tampered", "another_salt", "garbage", "not_opt_in_kind"])
def test_a_forged_link_is_refused(client, forgery):
    user = _login(client, _opted_in_user())
    token = proactive.opt_out_token(party=user.person, kind="proactive_offer")
    from django.core import signing

    token = {
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "another_salt": signing.dumps({"p": f"person:{user.person.pk}", "k": "proactive_offer"}, salt="x"),
        "garbage": "abc",
        "not_opt_in_kind": proactive.opt_out_token(party=user.person, kind="case_status"),
    }[forgery]

    responses = [
        client.get(reverse("notifications:proactive-stop", kwargs={"token": token})),
        client.post(reverse("notifications:proactive-stop", kwargs={"token": token})),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert _opted_in(user.person)


def test_a_link_stops_its_own_partys_kind_and_starts_nothing(client):
    holder, other = _opted_in_user(), _opted_in_user()
    NoticePreference.objects.create(person=holder.person, kind="case_status", email=True, sms=False)

    client.post(_stop_url(holder.person))

    assert not _opted_in(holder.person) and _opted_in(other.person)
    assert NoticePreference.objects.get(person=holder.person, kind="case_status").email


def test_a_board_member_stops_the_companys_offers(client):
    from eaccount.tests.factories import BoardMembershipFactory

    company = OrganisationFactory(email="sia@example.lv")
    member = BoardMembershipFactory(organisation=company).person
    _login(client, UserFactory(person=member))
    NoticePreference.objects.create(organisation=company, kind="proactive_offer", sms=False, email=True)

    response = client.post(_stop_url(company))

    assert response.status_code == 200
    assert not NoticePreference.objects.filter(organisation=company, email=True).exists()
