"""With the demo login off and OIDC on, "log in" goes to the identity provider and comes back to `next`."""

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def oidc_on(settings):
    settings.ROOT_URLCONF = "portal.tests.oidc_urls"
    settings.DEMO_LOGIN_ENABLED = False
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.lv/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.lv/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.lv/userinfo"
    return settings


def test_login_goes_to_the_identity_provider_keeping_next(client, oidc_on):
    # when a visitor asks to log in on the way to their profile
    response = client.get("/account/login/?next=/account/profile/")
    # then they are sent to the OIDC start, which keeps where to return
    assert response.status_code == 302
    assert response.url == "/oidc/authenticate/?next=%2Faccount%2Fprofile%2F"
    response = client.get(response.url)
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://id.example.lv/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["portal"]
    assert query["response_type"] == ["code"]
    assert query["state"] and query["nonce"]
    assert client.session["oidc_login_next"] == "/account/profile/"


def test_login_to_the_identity_provider_drops_an_unsafe_next(client, oidc_on):
    response = client.get("/account/login/?next=https://evil.example/")
    # the unsafe next is replaced by where a login lands: the dashboard
    assert response.url == "/oidc/authenticate/?next=%2Faccount%2Fdashboard%2F"
