"""One check demands a minimum level of assurance: the view decorator and the DRF permission."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from eaccount.assurance import AssuranceAtLeast, assurance_required, has_assurance
from eaccount.constants import SESSION_ASSURANCE_KEY

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def make_request(user, level, path="/secret/?x=1", factory=None):
    request = (factory or RequestFactory()).get(path)
    request.user = user
    request.session = SessionStore()
    if level:
        request.session[SESSION_ASSURANCE_KEY] = level
    request._messages = FallbackStorage(request)
    return request


@assurance_required("high")
def secret_view(request):
    return HttpResponse("secret")


@pytest.mark.parametrize(
    "level, minimum, allowed",
    [
        ("high", "high", True),
        ("high", "substantial", True),
        ("substantial", "high", False),
        ("substantial", "substantial", True),
        ("low", "substantial", False),
        (None, "low", False),
    ],
)
def test_has_assurance_orders_the_levels(level, minimum, allowed):
    assert has_assurance(make_request(UserFactory(), level), minimum) is allowed


def test_anonymous_has_no_assurance_even_with_a_level_in_the_session():
    assert has_assurance(make_request(AnonymousUser(), "high"), "low") is False


def test_high_session_gets_in():
    response = secret_view(make_request(UserFactory(), "high"))
    assert response.status_code == 200
    assert response.content == b"secret"


@pytest.mark.parametrize("who, level", [("user", "substantial"), ("user", None), ("anonymous", None)])
def test_lower_session_is_sent_to_log_in_again_with_next_and_level(who, level):
    # given a session below the high level a page needs
    user = UserFactory() if who == "user" else AnonymousUser()
    request = make_request(user, level)
    # when it asks for the page
    response = secret_view(request)
    # then it is redirected to the login page, which is told where to return and what level to ask for
    assert response.status_code == 302
    url = urlsplit(response.url)
    assert url.path == "/account/login/"
    assert parse_qs(url.query) == {"next": ["/secret/?x=1"], "level": ["high"]}


def test_the_login_page_explains_the_level_needed(client):
    client.cookies["django_language"] = "en"
    response = client.get("/account/login/?next=/secret/&level=high")
    assert "“high” level of assurance" in response.content.decode()


class SecretAPI(APIView):
    permission_classes = [AssuranceAtLeast("high")]

    def get(self, request):
        return Response({"ok": True})


@pytest.mark.parametrize("level, status", [("high", 200), ("substantial", 403), (None, 403)])
def test_drf_permission_demands_the_level(level, status):
    # given an API view that needs a high level, and a session user with `level`
    user = UserFactory()
    request = make_request(user, level, path="/api/secret/", factory=APIRequestFactory())
    force_authenticate(request, user=user)
    # when the view is called
    response = SecretAPI.as_view()(request)
    # then only a high session is let in
    assert response.status_code == status


def test_drf_permission_is_named_after_its_level():
    assert AssuranceAtLeast("substantial").__name__ == "AssuranceAtLeastSubstantial"
    with pytest.raises(ValueError):
        AssuranceAtLeast("very-high")


def test_the_login_page_names_the_level_in_the_page_language(client):
    client.cookies["django_language"] = "lv"
    response = client.get("/account/login/?next=/secret/&level=high")
    assert "augsts" in response.content.decode() or "“high”" in response.content.decode()


@pytest.mark.parametrize("level", ["call 67000000 now", "<b>x</b>", "HIGH", "1"])
def test_the_login_page_does_not_echo_an_unknown_level(client, level):
    client.cookies["django_language"] = "en"
    response = client.get("/account/login/", {"level": level})
    content = response.content.decode()
    assert response.status_code == 200
    assert "level of assurance: choose" not in content
    assert 'class="notice"' not in content
