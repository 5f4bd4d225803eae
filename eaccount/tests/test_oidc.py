"""OpenID Connect (production login): the `acr` claim becomes the session's level; no network involved."""

from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from audit.models import AuditEvent
from eaccount.constants import SESSION_ASSURANCE_KEY, AssuranceLevel
from eaccount.models import Person, User
from eaccount.oidc import AssuranceOIDCBackend, level_from_acr

from .factories import PersonFactory, UserFactory


@pytest.mark.parametrize(
    "acr, level",
    [
        ("http://eidas.europa.eu/LoA/high", AssuranceLevel.HIGH),
        ("http://eidas.europa.eu/LoA/substantial", AssuranceLevel.SUBSTANTIAL),
        ("http://eidas.europa.eu/LoA/low", AssuranceLevel.LOW),
        ("high", AssuranceLevel.HIGH),
        ("substantial", AssuranceLevel.SUBSTANTIAL),
        (None, AssuranceLevel.LOW),
        ("", AssuranceLevel.LOW),
        ("urn:unknown", AssuranceLevel.LOW),  # never assume more than was vouched for
        ("HIGH", AssuranceLevel.LOW),
    ],
)
def test_level_from_acr(acr, level):
    assert level_from_acr(acr) == level


@pytest.fixture
def oidc_settings(settings):
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.lv/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.lv/userinfo"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.lv/authorize"
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_PERSONAL_CODE_CLAIM = "serialNumber"
    return settings


def backend_with_session():
    request = RequestFactory().get("/oidc/callback/", REMOTE_ADDR="192.0.2.1")
    request.session = SessionStore()
    backend = AssuranceOIDCBackend()
    backend.request = request
    return backend, request


def log_in(backend, claims, acr):
    """What the callback does after the token exchange; the user-info call to the provider is stubbed."""
    with mock.patch.object(AssuranceOIDCBackend, "get_userinfo", return_value=claims):
        return backend.get_or_create_user("access-token", "id-token", {"acr": acr, "sub": "x"})


CLAIMS = {"serialNumber": "PNOLV-161175-19997", "given_name": "Inese", "family_name": "Kalna"}


@pytest.mark.django_db
def test_first_login_creates_person_and_user_with_the_level(oidc_settings):
    # given a person unknown to the portal, vouched for at a high level
    backend, request = backend_with_session()
    # when the identity provider's answer comes back
    user = log_in(backend, CLAIMS, "http://eidas.europa.eu/LoA/high")
    # then a Person and a User exist for them, and the session knows the level
    assert user.person.personal_code == "161175-19997"
    assert user.person.full_name == "Inese Kalna"
    assert str(user.person.birth_date) == "1975-11-16"
    assert not user.has_usable_password()
    assert request.session[SESSION_ASSURANCE_KEY] == "high"
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == user.pk
    assert event.data == {"level": "high", "means": "oidc"}


@pytest.mark.django_db
def test_known_user_is_found_by_personal_code_in_any_spelling(oidc_settings):
    existing = UserFactory(person__personal_code="161175-19997")
    backend, request = backend_with_session()
    user = log_in(backend, {**CLAIMS, "serialNumber": "16117519997"}, "substantial")
    assert user == existing
    assert request.session[SESSION_ASSURANCE_KEY] == "substantial"
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_person_known_without_login_gets_one(oidc_settings):
    # given a client the centre served without eID
    person = PersonFactory(personal_code="161175-19997", has_eid=False)
    backend, _ = backend_with_session()
    # when they log in with eID for the first time
    user = log_in(backend, CLAIMS, "high")
    # then their existing Person gets the login, and no duplicate is made
    assert user.person == person
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.has_eid


@pytest.mark.django_db
def test_a_known_user_is_found_by_their_previous_personal_code(oidc_settings):
    # given a user who has a new-format code now and kept 161175-19997 as their previous one
    existing = UserFactory(
        person__personal_code="328673-00679", person__previous_personal_code="161175-19997"
    )
    backend, _ = backend_with_session()

    # when the identity provider vouches for the previous code
    user = log_in(backend, CLAIMS, "high")

    # then it is the same user, and nobody new is made
    assert user == existing
    assert (User.objects.count(), Person.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_a_person_known_by_their_previous_code_without_login_gets_one(oidc_settings):
    person = PersonFactory(personal_code="328673-00679", previous_personal_code="161175-19997", has_eid=False)
    backend, _ = backend_with_session()

    user = log_in(backend, CLAIMS, "high")

    assert user.person == person
    assert Person.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "40003521600", "161175-19998", None])
def test_claims_without_a_valid_personal_code_are_refused(oidc_settings, code):
    backend, request = backend_with_session()
    with pytest.raises(SuspiciousOperation):
        log_in(backend, {**CLAIMS, "serialNumber": code}, "high")
    assert not User.objects.exists()
    assert SESSION_ASSURANCE_KEY not in request.session


@pytest.mark.django_db
def test_missing_acr_gives_a_low_session(oidc_settings):
    backend, request = backend_with_session()
    log_in(backend, CLAIMS, None)
    assert request.session[SESSION_ASSURANCE_KEY] == "low"


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["eaccount:logout", "eaccount:logout-everywhere"])
def test_logout_ends_the_identity_providers_session_too(client, oidc_settings, view):
    # given a person who logged in through the identity provider, which offers RP-initiated logout
    from urllib.parse import parse_qs, urlsplit

    from django.contrib.auth import SESSION_KEY
    from django.urls import reverse

    oidc_settings.OIDC_ENABLED = True
    oidc_settings.OIDC_OP_LOGOUT_ENDPOINT = "https://id.example.lv/logout"
    client.force_login(UserFactory())
    session = client.session
    session["oidc_id_token"] = "the-id-token"
    session.save()

    # when they log out
    response = client.post(reverse(view))

    # then the portal's session is gone and the browser goes to the provider to end that one
    assert SESSION_KEY not in client.session
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://id.example.lv/logout"
    query = parse_qs(url.query)
    assert query["id_token_hint"] == ["the-id-token"] and query["client_id"] == ["portal"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint, id_token", [("", "the-id-token"), ("https://id.example.lv/logout", None)])
def test_logout_stays_home_without_provider_logout_or_provider_login(
    client, oidc_settings, endpoint, id_token
):
    from django.urls import reverse

    oidc_settings.OIDC_ENABLED = True
    oidc_settings.OIDC_OP_LOGOUT_ENDPOINT = endpoint
    client.force_login(UserFactory())  # e.g. through the demo login: no ID token
    if id_token:
        session = client.session
        session["oidc_id_token"] = id_token
        session.save()
    assert client.post(reverse("eaccount:logout"))["Location"] == reverse("home")
