"""The Content-Security-Policy in a real browser: Chromium reports no violation on the home page, the
catalogue, the login page, a case page and the API docs (Swagger UI), and the pages still work under
it (the language switch posts, the login form logs in, the API docs draw the API's title).

Chromium reports each violation twice: on the console ("… violates the following Content Security
Policy directive …") and as a `securitypolicyviolation` event; both are collected."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from requests_registry.tests.factories import CaseFactory, ServiceFactory

# Playwright's own init script is not subject to the page's policy; it records the page's violations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber || "?"})`);
});
"""


@pytest.fixture
def csp_page(page):
    """The `page`, with `page.csp_violations()`: the violations reported so far (console and events)."""
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations() -> list[str]:
        events = page.evaluate("window.__cspViolations || []")
        return console + events

    page.csp_violations = violations
    return page


def _enforced_policy(response) -> str:
    policy = response.header_value("content-security-policy")
    assert policy, f"{response.url} answered without a Content-Security-Policy"
    return policy


def test_home_page_and_language_switch_work_without_violations(csp_page, demo_data):
    # given the home page under the policy
    response = csp_page.goto("/")
    assert "script-src 'self'" in _enforced_policy(response)
    expect(csp_page.locator("html")).to_have_attribute("lang", "lv")
    # when the visitor switches to English (a form post)
    with csp_page.expect_navigation():
        csp_page.locator(".language-switch button[lang='en']").click()
    # then the page is in English, and nothing was blocked on the way
    expect(csp_page.locator("html")).to_have_attribute("lang", "en")
    expect(csp_page.locator(".header-tools a.button")).to_have_text("Log in")
    assert csp_page.csp_violations() == []


def test_catalogue_has_no_violations(csp_page, demo_data):
    response = csp_page.goto("/services/")
    assert response.status == 200
    _enforced_policy(response)
    expect(csp_page.locator("h1")).to_have_count(1)
    # the stylesheet applied (a policy blocking it would leave the header unstyled)
    background = csp_page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(138, 28, 43)"
    assert csp_page.csp_violations() == []


def test_login_page_and_demo_login_work_without_violations(csp_page, login_as):
    # given the login page under the policy
    response = csp_page.goto("/account/login/")
    _enforced_policy(response)
    # when a citizen logs in through it, and opens one of her cases
    person = login_as(csp_page, "citizen_parent", means="eid_card")
    expect(csp_page.get_by_test_id("current-user")).to_have_text("Anna Bērziņa")
    case = CaseFactory(service=ServiceFactory(), client_person=person)
    response = csp_page.goto(case.get_absolute_url())
    # then the case page shows under the policy too, and nothing was blocked
    assert response.status == 200
    _enforced_policy(response)
    expect(csp_page.locator("h1")).to_contain_text(case.number)
    assert csp_page.csp_violations() == []


def test_api_docs_render_under_their_own_policy_without_violations(csp_page, demo_data):
    # given the API docs page (Swagger UI from our static files)
    response = csp_page.goto("/api/docs/")
    policy = _enforced_policy(response)
    # its own policy: the site's, with data: images for Swagger UI's icons, still no inline script
    assert "img-src 'self' data:" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # then Swagger UI starts, loads the schema and draws the API's title and operations
    expect(csp_page.locator(".information-container .title")).to_contain_text(
        settings.SPECTACULAR_SETTINGS["TITLE"]
    )
    expect(csp_page.locator(".opblock").first).to_be_visible()
    # and an operation opens (Swagger UI's own scripts and styles at work)
    csp_page.locator(".opblock-summary").first.click()
    expect(csp_page.locator(".opblock-body").first).to_be_visible()
    assert csp_page.csp_violations() == []
