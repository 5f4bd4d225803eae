"""The demo eID login: levels of assurance, refusals, safe redirects, rate limit, logout."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from audit.models import AuditEvent
from eaccount.constants import SESSION_ASSURANCE_KEY, SESSION_LOGIN_MEANS_KEY

from .factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("eaccount:login")


def post_login(client, person, means="eid_card", **extra):
    return client.post(LOGIN, {"person": person.pk, "means": means, **extra})


@pytest.mark.parametrize(
    "means, level",
    [("eid_card", "high"), ("eparaksts_mobile", "high"), ("internet_bank", "substantial")],
)
def test_each_means_gives_its_level_of_assurance(client, means, level):
    # given a person with a login
    user = UserFactory()
    # when they log in on the demo eID page with a means
    response = post_login(client, user.person, means)
    # then they are logged in with that means' level, and it is recorded
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[SESSION_ASSURANCE_KEY] == level
    assert client.session[SESSION_LOGIN_MEANS_KEY] == means
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == user.pk
    assert event.data == {"level": level, "means": means}
    assert event.ip_address == "127.0.0.1"


def test_login_page_lists_demo_persons_and_is_marked_demo(client):
    person = UserFactory().person
    client.cookies["django_language"] = "en"
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert person.full_name in content
    assert "demo" in content.lower()


def test_person_without_login_is_refused_with_the_reason(client):
    # given a person with no login (a child, a client without eID)
    person = PersonFactory(first_name="Valdis", last_name="Egle", has_eid=False)
    # when someone tries to log in as them
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"person": person.pk, "means": "eid_card"})
    # then the page answers again with the reason in the error summary, and nobody is logged in
    assert response.status_code == 200
    content = response.content.decode()
    assert "Valdis Egle has no login" in content
    assert 'class="error-summary"' in content
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_inactive_user_is_refused(client):
    user = UserFactory(is_active=False)
    response = post_login(client, user.person)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("means", ["", "password", "HIGH"])
def test_unknown_means_is_refused(client, means):
    user = UserFactory()
    response = post_login(client, user.person, means)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_safe_next_is_followed(client):
    user = UserFactory()
    response = post_login(client, user.person, next="/account/profile/")
    assert response.url == "/account/profile/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_open_redirect_next_is_refused(client, next_url):
    # given a login link crafted to send the user to another site afterwards
    user = UserFactory()
    # when the user logs in
    response = post_login(client, user.person, next=next_url)
    # then they land on their overview (the dashboard) instead
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_next_from_the_query_string_is_kept_in_the_form(client):
    response = client.get(LOGIN + "?next=/account/profile/")
    assert 'value="/account/profile/"' in response.content.decode()


def test_failed_logins_are_rate_limited(client, settings):
    # given a limit of 3 failed attempts a minute
    settings.LOGIN_FAILURE_RATE = "3/m"
    user = UserFactory()
    # when the same address fails 3 times
    for _ in range(3):
        response = client.post(LOGIN, {"person": 999_999, "means": "eid_card"})
        assert response.status_code == 200
    # then further attempts are answered 429, even a correct one, and nobody is logged in
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"person": user.person.pk, "means": "eid_card"})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert SESSION_KEY not in client.session
    # and another address is not affected
    response = client.post(LOGIN, {"person": user.person.pk, "means": "eid_card"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_behind_a_proxy_failures_count_per_visitor_not_per_proxy(client, settings):
    # given the portal behind one reverse proxy (every request comes from 10.0.0.9) and a limit of 2
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURE_RATE = "2/m"
    user = UserFactory()
    proxy = {"REMOTE_ADDR": "10.0.0.9"}
    # when one visitor fails twice, even trying to hide behind a forged X-Forwarded-For entry
    for forged in ("198.51.100.1", "198.51.100.2"):
        client.post(
            LOGIN,
            {"person": 999_999, "means": "eid_card"},
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5",
            **proxy,
        )
    # then that visitor is refused, and another visitor through the same proxy is not
    blocked = client.post(
        LOGIN, {"person": user.person.pk, "means": "eid_card"}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy
    )
    assert blocked.status_code == 429
    other = client.post(
        LOGIN, {"person": user.person.pk, "means": "eid_card"}, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy
    )
    assert other.status_code == 302


def test_successful_logins_are_not_counted_as_failures(client, settings):
    settings.LOGIN_FAILURE_RATE = "2/m"
    user = UserFactory()
    for _ in range(4):
        assert post_login(client, user.person).status_code == 302


def test_login_page_is_gone_when_demo_login_is_off(client, settings):
    settings.DEMO_LOGIN_ENABLED = False
    settings.OIDC_ENABLED = False
    assert client.get(LOGIN).status_code == 404


def test_logout_ends_the_session_and_is_recorded(client):
    # given a logged-in user
    user = UserFactory()
    post_login(client, user.person)
    # when they log out
    response = client.post(reverse("eaccount:logout"))
    # then the session is gone and the logout is in the audit trail
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert SESSION_ASSURANCE_KEY not in client.session
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=user.pk).count() == 1


def test_logout_needs_post(client):
    user = UserFactory()
    post_login(client, user.person)
    assert client.get(reverse("eaccount:logout")).status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)


def test_logout_everywhere_ends_the_users_other_sessions_only(client_factory):
    # given a user logged in on two computers, and another user logged in too
    user, other = UserFactory(), UserFactory()
    home_pc, library_pc, other_pc = client_factory(), client_factory(), client_factory()
    for c, u in ((home_pc, user), (library_pc, user), (other_pc, other)):
        post_login(c, u.person)
        assert c.get(reverse("eaccount:profile")).status_code == 200
    # when they choose "log out on every device" at home
    response = home_pc.post(reverse("eaccount:logout-everywhere"))
    assert response.status_code == 302
    # then the library computer's session no longer works either
    assert home_pc.get(reverse("eaccount:profile")).status_code == 302
    response = library_pc.get(reverse("eaccount:profile"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    # but the other user's session does
    assert other_pc.get(reverse("eaccount:profile")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.logout_everywhere", actor_id=user.pk).count() == 1
    # and logging in again works
    post_login(library_pc, user.person)
    assert library_pc.get(reverse("eaccount:profile")).status_code == 200


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
