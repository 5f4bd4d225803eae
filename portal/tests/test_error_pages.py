"""Our own 400, 403, 404, 409 and 500 pages: in the base layout, Latvian first, English by the
switch's cookie; the 403 says the service's reason; the 500 page survives a broken database or context
processor; DomainErrorMiddleware turns a DomainError a page let through into its page, but not under
/api/.

This module is also the URLconf of the tests that need a view that raises (`pytest.mark.urls`)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import get_resolver, path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from eaccount.tests.factories import UserFactory
from kernel import errors
from portal import views
from portal.middleware import DomainErrorMiddleware
from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 - this URLconf's
from portal.urls import urlpatterns as portal_urlpatterns

THIS_URLCONF = "portal.tests.test_error_pages"
SKIP_LINK_LV = "Pāriet uz galveno saturu"  # from the compiled Latvian catalogue


def _raises(make_exception):
    """A view raising a fresh exception (made in the request, in the request's language)."""

    def view(request):
        raise make_exception()

    return view


class _ApiViewRaising(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise errors.NotFound("No such thing.")


class _Unavailable(errors.DomainError):
    status = 503


DOMAIN_ERRORS = {
    "forbidden": lambda: errors.PermissionDenied("Only the child's legal representative may see this case."),
    "forbidden-default": errors.PermissionDenied,
    "not-found": lambda: errors.NotFound("No such case."),
    "not-allowed": lambda: errors.ActionNotAllowed("The case has already been withdrawn."),
    "not-allowed-default": errors.ActionNotAllowed,
    "invalid": lambda: errors.Invalid(
        {"title": ["The title is too long."]}, message="The application is not complete."
    ),
    "invalid-fields-only": lambda: errors.Invalid({"title": ["The title is too long."]}),
    "domain": lambda: errors.DomainError("Something about the request is wrong."),
    "server-side": _Unavailable,
}

urlpatterns = [
    *portal_urlpatterns,
    path("_test/denied/", _raises(PermissionDenied)),
    path(
        "_test/denied-with-reason/",
        _raises(lambda: PermissionDenied("Only agency administrators edit this.")),
    ),
    path("_test/denied-with-markup/", _raises(lambda: PermissionDenied("<script>alert(1)</script> & co"))),
    path("_test/suspicious/", _raises(lambda: SuspiciousOperation("secret internals"))),
    path("_test/boom/", _raises(lambda: RuntimeError("secret internals"))),
    *[path(f"_test/domain/{key}/", _raises(make)) for key, make in DOMAIN_ERRORS.items()],
    path("api/_test/domain/", _raises(errors.NotFound)),
    path("api/_test/drf-domain/", _ApiViewRaising.as_view()),
    path("api/_test/boom/", _raises(lambda: RuntimeError("secret internals"))),
]


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _assert_base_layout(content: str, lang: str) -> None:
    assert f'<html lang="{lang}">' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert 'class="site-header"' in content and 'class="site-footer"' in content
    assert 'class="language-switch"' in content
    assert content.count("<h1") == 1


@pytest.fixture
def raising_client(client):
    client.raise_request_exception = False
    return client


# --- the handlers are ours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "handler"),
    [
        (400, views.bad_request),
        (403, views.permission_denied),
        (404, views.page_not_found),
        (500, views.server_error),
    ],
)
def test_the_portal_urls_name_our_error_handlers(status, handler):
    assert get_resolver("portal.urls").resolve_error_handler(status) is handler


# --- 404 -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_not_found_page_is_latvian_by_default_in_the_base_layout(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in _template_names(response) and "base.html" in _template_names(response)
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert "Lapa nav atrasta" in content
    assert SKIP_LINK_LV in content


@pytest.mark.django_db
def test_not_found_page_is_english_with_the_language_cookie(client):
    response = _english(client).get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert "Page not found" in content
    assert "What you can do" in content
    assert 'href="/services/"' in content  # find a service in the catalogue


@pytest.mark.django_db
def test_not_found_page_offers_a_login_to_a_visitor_and_not_to_a_logged_in_person(client):
    anonymous = _english(client).get("/no-such-page/").content.decode()
    client.force_login(UserFactory())
    logged_in = client.get("/no-such-page/").content.decode()

    assert 'href="/account/login/?next=/no-such-page/"' in anonymous
    assert "?next=/no-such-page/" not in logged_in
    assert 'data-testid="current-user"' in logged_in  # the full header, with the person


@pytest.mark.django_db
def test_language_switch_on_the_not_found_page_comes_back_to_it_in_english(client):
    page = client.get("/no-such-page/").content.decode()
    assert '<input name="next" type="hidden" value="/no-such-page/">' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/no-such-page/"}, follow=True)

    assert response.status_code == 404
    assert response.redirect_chain == [("/no-such-page/", 302)]
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_go_back_link_is_offered_only_for_a_page_of_this_site(client):
    ours = _english(client).get("/no-such-page/", HTTP_REFERER="http://testserver/services/")
    foreign = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    reloaded = client.get("/no-such-page/", HTTP_REFERER="http://testserver/no-such-page/")

    assert 'href="http://testserver/services/">Go back to the previous page' in ours.content.decode()
    assert "evil.example" not in foreign.content.decode()
    assert "Go back to the previous page" not in foreign.content.decode()
    assert "Go back to the previous page" not in reloaded.content.decode()


# --- 403 -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_forbidden_page_shows_the_reason_the_view_gave(client):
    response = _english(client).get("/_test/denied-with-reason/")

    assert response.status_code == 403
    assert "403.html" in _template_names(response)
    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert '<p class="lead" data-testid="error-reason">Only agency administrators edit this.</p>' in content
    assert "Some pages are only for certain people" not in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_forbidden_reason_is_escaped(client):
    content = client.get("/_test/denied-with-markup/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_forbidden_page_without_a_reason_explains_generally_and_offers_a_login(client):
    response = _english(client).get("/_test/denied/")

    assert response.status_code == 403
    content = response.content.decode()
    assert 'data-testid="error-reason"' not in content
    assert "Some pages are only for certain people" in content
    assert 'href="/account/login/?next=/_test/denied/"' in content
    assert "contact the institution that provides the service" in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_forbidden_page_is_latvian_by_default(client):
    response = client.get("/_test/denied/")

    assert response.status_code == 403
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert "Piekļuve liegta" in content


@pytest.mark.django_db
def test_a_citizen_opening_the_catalogue_editor_is_told_why_not(client):
    client.force_login(UserFactory())

    response = _english(client).get("/services/manage/")

    assert response.status_code == 403
    assert "Only agency administrators edit the catalogue." in response.content.decode()


# --- 400 -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_bad_request_page_is_ours_and_does_not_show_the_exception(client):
    response = _english(client).get("/_test/suspicious/")

    assert response.status_code == 400
    assert "400.html" in _template_names(response)
    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert "The request could not be processed" in content
    assert "secret internals" not in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_bad_request_page_is_latvian_by_default(client):
    response = client.get("/_test/suspicious/")

    assert response.status_code == 400
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert SKIP_LINK_LV in content


# --- 500 -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_server_error_page_with_debug_off_is_in_the_base_layout_in_latvian(raising_client, settings):
    settings.DEBUG = False

    response = raising_client.get("/_test/boom/")

    assert response.status_code == 500
    assert "500.html" in _template_names(response) and "base.html" in _template_names(response)
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert SKIP_LINK_LV in content
    assert "secret internals" not in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_server_error_page_is_english_with_the_cookie_and_its_switch_can_post(raising_client, settings):
    settings.DEBUG = False

    response = _english(raising_client).get("/_test/boom/")

    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert "Something went wrong" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<input name="next" type="hidden" value="/_test/boom/">' in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_server_error_page_leaves_out_the_account_block_it_cannot_check(raising_client, settings):
    # the safe layout does not read the user: it neither names them nor wrongly offers a login
    settings.DEBUG = False
    raising_client.force_login(UserFactory())

    content = _english(raising_client).get("/_test/boom/").content.decode()

    assert 'data-testid="current-user"' not in content
    assert "/account/login/" not in content


def _database_unreachable(monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_server_error_page_renders_while_the_database_is_unreachable(monkeypatch, settings):
    # given no database (this test has none; every connection attempt is refused)
    settings.DEBUG = False
    _database_unreachable(monkeypatch)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32  # a returning visitor: the session is read from the database
    client.cookies["django_language"] = "en"

    # when they open a page
    response = client.get("/")

    # then they get our 500 page in the layout, not a bare crash
    assert response.status_code == 500
    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert "Something went wrong" in content


def test_server_error_page_renders_when_a_page_view_cannot_reach_the_database(monkeypatch, settings):
    settings.DEBUG = False
    _database_unreachable(monkeypatch)
    client = Client(raise_request_exception=False)

    response = client.get("/services/")

    assert response.status_code == 500
    _assert_base_layout(response.content.decode(), "lv")


@pytest.mark.django_db
def test_server_error_page_renders_when_a_context_processor_is_broken(raising_client, monkeypatch, settings):
    settings.DEBUG = False

    def broken(request):
        raise RuntimeError("context processor broken")

    monkeypatch.setattr("portal.context_processors.session_assurance", broken)

    response = _english(raising_client).get("/")

    assert response.status_code == 500
    content = response.content.decode()
    _assert_base_layout(content, "en")
    assert "Something went wrong" in content


def test_server_error_falls_back_to_plain_html_when_the_page_itself_fails(rf, monkeypatch):
    def broken_template(name):
        raise RuntimeError("templates broken")

    monkeypatch.setattr(views.loader, "get_template", broken_template)

    response = views.server_error(rf.get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="lv">' in content and 'lang="en"' in content
    assert "Radās kļūda" in content and "Something went wrong" in content


# --- DomainErrorMiddleware --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
@pytest.mark.parametrize(
    ("key", "status", "template"),
    [
        ("forbidden", 403, "403.html"),
        ("forbidden-default", 403, "403.html"),
        ("not-found", 404, "404.html"),
        ("not-allowed", 409, "409.html"),
        ("not-allowed-default", 409, "409.html"),
        ("invalid", 422, "400.html"),
        ("invalid-fields-only", 422, "400.html"),
        ("domain", 400, "400.html"),
    ],
)
def test_a_domain_error_from_a_page_becomes_its_error_page(client, key, status, template):
    response = _english(client).get(f"/_test/domain/{key}/")

    assert response.status_code == status
    assert template in _template_names(response)
    _assert_base_layout(response.content.decode(), "en")


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_forbidden_domain_error_shows_its_reason(client):
    content = _english(client).get("/_test/domain/forbidden/").content.decode()

    assert "Only the child&#x27;s legal representative may see this case." in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_forbidden_domain_error_without_its_own_message_explains_generally(client):
    content = _english(client).get("/_test/domain/forbidden-default/").content.decode()

    assert 'data-testid="error-reason"' not in content
    assert "Some pages are only for certain people" in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_not_found_domain_error_says_no_more_than_any_404(client):
    content = _english(client).get("/_test/domain/not-found/").content.decode()

    assert "Page not found" in content
    assert "No such case." not in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_the_conflict_page_says_why_the_action_cannot_be_done_now(client):
    content = _english(client).get("/_test/domain/not-allowed/").content.decode()

    assert "The action was not done" in content
    assert '<p class="lead" data-testid="error-reason">The case has already been withdrawn.</p>' in content
    assert "Reload the page" in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_the_conflict_page_is_latvian_by_default(client):
    response = client.get("/_test/domain/not-allowed-default/")

    assert response.status_code == 409
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert SKIP_LINK_LV in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_an_invalid_error_shows_its_message_and_field_messages_on_the_400_page(client):
    content = _english(client).get("/_test/domain/invalid/").content.decode()

    assert "The request could not be processed" in content
    assert "The application is not complete." in content
    assert "The title is too long." in content


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_domain_error_with_a_server_status_is_left_to_the_server_error_page(raising_client):
    response = raising_client.get("/_test/domain/server-side/")

    assert response.status_code == 500
    assert "500.html" in _template_names(response)


def test_the_middleware_passes_on_other_exceptions_and_api_paths(rf):
    middleware = DomainErrorMiddleware(lambda request: None)

    assert middleware.process_exception(rf.get("/cases/"), ValueError("x")) is None
    assert middleware.process_exception(rf.get("/api/v1/cases/1011-0000001/"), errors.NotFound()) is None
    assert middleware.process_exception(rf.get("/api/v1/cases/"), errors.ActionNotAllowed()) is None


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
@pytest.mark.parametrize("url", ["/api/_test/domain/", "/api/_test/drf-domain/"])
def test_a_domain_error_under_api_is_not_turned_into_a_page(raising_client, url):
    response = raising_client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
    assert not any(name.endswith(".html") for name in _template_names(response))


# --- under /api/ the handlers answer problem+json --------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_404_problem(client):
    response = client.get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
    }


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_crash_under_api_is_a_500_problem(raising_client):
    response = raising_client.get("/api/_test/boom/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "secret internals" not in response.content.decode()


# --- the CSRF failure page is in the same style -----------------------------------------------------


@pytest.mark.django_db
def test_csrf_failure_page_is_in_the_base_layout_with_next_steps():
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/account/login/", {"person": 1})

    assert response.status_code == 403
    content = response.content.decode()
    _assert_base_layout(content, "lv")
    assert "Veidlapas derīgums ir beidzies" in content
    assert 'class="next-steps"' in content
