"""Security headers and request limits at the edge.

- Content-Security-Policy (Django's ContentSecurityPolicyMiddleware, SECURE_CSP) on every kind of page:
  home, catalogue, login, a case page, the error pages; the API docs with their own policy
  (SECURE_CSP_API_DOCS, on its view in portal.urls); no template of ours has an inline script, style or event handler.
- The upload cap (MAX_UPLOAD_BYTES, portal.middleware.RequestSizeLimitMiddleware): a body over it is
  refused with 413 from its Content-Length before anything reads it, and nothing is stored.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from eaccount.tests.factories import UserFactory
from portal.tests.test_production_settings import manage
from requests_registry.drafts import SESSION_KEY as DRAFTS_SESSION_KEY
from requests_registry.models import Case, CaseAttachment
from requests_registry.tests.factories import VALID_DATA, CaseFactory, ServiceFactory, login, pdf_upload

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
ERROR_URLCONF = "portal.tests.test_error_pages"  # our URLs plus views that raise

SITE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
API_DOCS_POLICY = SITE_POLICY.replace("img-src 'self'", "img-src 'self' data:")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class _InlineFinder(HTMLParser):
    """Inline script (a <script> without src that is not JSON data), <style>, style="…" and on…=
    attributes in an HTML page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def citizen_client(client):
    user = login(client, UserFactory())
    client.user = user
    return client


# --- Content-Security-Policy ----------------------------------------------------------------------


def test_the_site_policy_forbids_inline_script_plugins_framing_and_foreign_forms():
    policy = directives(SITE_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    "url",
    ["/", "/services/", "/account/login/", "/healthz"],
    ids=["home", "catalogue", "login", "health"],
)
def test_public_pages_answer_with_the_site_policy(client, url):
    response = client.get(url)
    assert response.status_code in (200, 503)  # the health check may find no broker
    assert response["Content-Security-Policy"] == SITE_POLICY
    assert "Content-Security-Policy-Report-Only" not in response


def test_public_pages_have_no_inline_script_or_style(client):
    ServiceFactory(code="4242")
    for url in ("/", "/services/", "/services/4242/", "/account/login/", "/no-such-page/"):
        response = client.get(url)
        assert inline_code(response.content.decode()) == [], url


def test_a_case_page_answers_with_the_site_policy_and_no_inline_code(citizen_client):
    case = CaseFactory(client_person=citizen_client.user.person)
    response = citizen_client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == SITE_POLICY
    assert inline_code(response.content.decode()) == []
    apply = citizen_client.get(reverse("requests_registry:apply", kwargs={"code": case.service.code}))
    assert apply["Content-Security-Policy"] == SITE_POLICY
    assert inline_code(apply.content.decode()) == []


def test_the_api_docs_have_their_own_policy_and_start_swagger_ui_from_static_files(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    # the site's policy, with data: images (Swagger UI's icons) and nothing else loosened
    assert response["Content-Security-Policy"] == API_DOCS_POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert inline_code(html) == []
    assert re.search(r'<script src="/static/js/swagger_ui_init\.js"></script>', html)
    assert 'data-schema-url="/api/schema/"' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_the_policy_middleware_is_outside_everything_that_may_answer_early():
    # the upload cap, the input guard and the error pages answer with the site policy too
    assert django_settings.MIDDLEWARE.index("django.middleware.csp.ContentSecurityPolicyMiddleware") == 1


def test_the_api_itself_keeps_the_site_policy(client):
    response = client.get("/api/schema/")
    assert response["Content-Security-Policy"] == SITE_POLICY


@pytest.mark.urls(ERROR_URLCONF)
@pytest.mark.parametrize(
    "url, status",
    [
        ("/no-such-page/", 404),
        ("/_test/suspicious/", 400),
        ("/_test/denied/", 403),
        ("/_test/domain/not-allowed/", 409),
        ("/_test/boom/", 500),
        ("/api/no-such-thing/", 404),
        ("/api/_test/boom/", 500),
    ],
)
def test_error_pages_answer_with_the_site_policy(client, url, status):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == SITE_POLICY
    if not url.startswith("/api/"):
        assert inline_code(response.content.decode()) == []


def test_the_csrf_failure_page_answers_with_the_site_policy():
    response = Client(enforce_csrf_checks=True).post("/account/login/", {"person": 1})
    assert response.status_code == 403
    assert response["Content-Security-Policy"] == SITE_POLICY


def test_admin_pages_answer_with_the_policy_and_a_nonce_only_where_the_page_uses_one(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in ("/admin/", "/admin/eaccount/person/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert directives(policy)["script-src"] == ["'self'"]
        nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        if nonces:  # the admin's templates ask for one: the header names that same nonce for styles
            assert nonces == {directives(policy)["style-src"][1].removeprefix("'nonce-").rstrip("'")}
        else:
            assert policy == SITE_POLICY


TEMPLATE_DIRS = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]
INLINE_IN_TEMPLATE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def test_no_template_of_ours_has_inline_script_style_or_event_handlers():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
                if INLINE_IN_TEMPLATE.search(line):
                    offenders.append(f"{template.relative_to(BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == []


def test_form_action_allows_the_identity_providers_logout_when_one_is_configured():
    # the logout form's answer redirects to the provider's end-session endpoint: form-action covers it
    script = "from django.conf import settings; print(' '.join(settings.SECURE_CSP['form-action']))"
    result = manage(
        "shell",
        "-c",
        script,
        OIDC_RP_CLIENT_ID="portal",
        OIDC_OP_LOGOUT_ENDPOINT="https://id.example.lv/oidc/logout?x=1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "'self' https://id.example.lv"


# --- the upload cap ---------------------------------------------------------------------------------


class _Tripwire:
    """A request body stream that records any read: the refusal must come before the body is read."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return b""

    readline = read


def _apply_url(service) -> str:
    return reverse("requests_registry:apply", kwargs={"code": service.code})


def _nothing_stored(client) -> bool:
    media = Path(django_settings.MEDIA_ROOT)
    no_files = not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    return (
        no_files
        and not Case.objects.exists()
        and not CaseAttachment.objects.exists()
        and not client.session.get(DRAFTS_SESSION_KEY)
    )


def test_the_default_cap_is_12_mb_and_covers_the_largest_file_we_take():
    from requests_registry.services._common import RESULT_FILE_FIELD

    assert django_settings.MAX_UPLOAD_BYTES == 12 * 1024 * 1024
    assert RESULT_FILE_FIELD["max_size_kb"] * 1024 < django_settings.MAX_UPLOAD_BYTES
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= django_settings.MAX_UPLOAD_BYTES


def test_a_13_mb_upload_is_refused_with_413_and_nothing_is_stored(citizen_client):
    # given a citizen on a service's application form
    service = ServiceFactory()
    # when she sends a 13 MB file with it
    response = citizen_client.post(
        _apply_url(service),
        {**VALID_DATA, "action": "check", "document": pdf_upload(size=13 * 1024 * 1024)},
    )
    # then the portal refuses it with 413 on its 400 page, in the page language, under the policy
    assert response.status_code == 413
    assert [t.name for t in response.templates][0] == "400.html"
    html = response.content.decode()
    assert "Pieprasījuma saturs ir pārāk liels." in html  # "The request body is too large."
    assert 'data-testid="current-user"' in html  # the header still knows who she is
    assert response["Content-Security-Policy"] == SITE_POLICY
    # and no case, no attachment, no draft and no file was kept
    assert _nothing_stored(citizen_client)


def test_the_refusal_comes_from_the_content_length_before_the_body_is_read(citizen_client):
    service = ServiceFactory()
    body = _Tripwire()
    response = citizen_client.generic(
        "POST",
        _apply_url(service),
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.reads == 0
    assert _nothing_stored(citizen_client)


def test_the_api_answers_413_as_problem_json_before_authenticating(client):
    body = _Tripwire()
    response = client.generic(
        "POST",
        "/api/v1/cases/",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413
    assert body.reads == 0


def test_the_cap_is_the_setting_and_a_body_up_to_it_goes_through(citizen_client, settings):
    settings.MAX_UPLOAD_BYTES = 4096
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    service = ServiceFactory()
    small = citizen_client.post(
        _apply_url(service), {**VALID_DATA, "action": "check", "document": pdf_upload()}
    )
    assert small.status_code == 200  # the check page: the form's own validation took it
    big = citizen_client.post(
        _apply_url(service), {**VALID_DATA, "action": "check", "document": pdf_upload(size=5000)}
    )
    assert big.status_code == 413


def test_a_normal_upload_still_makes_a_case_with_its_file(citizen_client, django_capture_on_commit_callbacks):
    service = ServiceFactory()
    response = citizen_client.post(
        _apply_url(service), {**VALID_DATA, "action": "check", "document": pdf_upload(name="dz.pdf")}
    )
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(_apply_url(service), {"action": "submit"})
    assert response.status_code == 302
    assert Case.objects.get().attachments.get().original_name == "dz.pdf"


@pytest.mark.parametrize("length", ["abc", "-1", "1e9", "12 34"])
def test_a_content_length_that_is_not_a_number_is_refused_with_400(client, length):
    body = _Tripwire()
    response = client.generic(
        "POST",
        "/account/login/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=length,
        **{"wsgi.input": body},
    )
    assert response.status_code == 400
    assert body.reads == 0


def test_a_multipart_post_without_a_length_is_refused_with_411(citizen_client):
    # without a Content-Length Django would read the form as empty and silently lose its files
    service = ServiceFactory()
    body = _Tripwire()
    response = citizen_client.generic(
        "POST",
        _apply_url(service),
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        **{"wsgi.input": body},
    )
    assert response.status_code == 411
    assert body.reads == 0
    assert _nothing_stored(citizen_client)


def test_requests_without_a_body_are_not_affected(client):
    assert client.get("/").status_code == 200
    assert client.get("/", CONTENT_LENGTH="").status_code == 200
