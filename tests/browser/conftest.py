"""Browser test infrastructure: Playwright (sync API) driving Debian's Chromium against the live server.

Every test under tests/browser is marked `browser` and runs against pytest-django's `live_server`
with `transactional_db` (the server thread must see the test's data).

Fixtures and helpers for other browser tests:

- `browser`     a session-scoped headless Chromium (/usr/bin/chromium or $CHROMIUM_PATH; never downloads one)
- `page`        a fresh browser context per test, `base_url` = the live server, so `page.goto("/services/")`
- `demo_data`   loads the pilot catalogue and the demo people; returns {key: Person} (eaccount.demo.DEMO_PERSONS)
- `login_as`    `login_as(page, "citizen_parent", means="eid_card")` logs in through the real demo eID page
- `assert_no_axe_violations(page)`  axe-core, WCAG 2.1 A/AA rules plus `region` (all content in
  landmarks: a best-practice rule, kept because the layout promises it); fails listing each violation
  (import it: `from tests.browser.conftest import assert_no_axe_violations`, or use the fixture `axe_check`)
"""

import os

import pytest

# Playwright's sync API runs an event loop in the main thread; Django then refuses ORM calls made from
# the test body ("async unsafe"). The ORM calls are in the test's own thread, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# rules outside those tags that run too (a rule's own `enabled` wins over runOnly's tags in axe-core)
EXTRA_RULES = {"region": {"enabled": True}}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    from playwright.sync_api import expect

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(
            f"Chromium not found at {executable}: install Debian's chromium (apt-get install chromium)"
        )
    browser = _playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    expect.set_options(timeout=10_000)  # `expect(...)` assertions wait up to 10 s (default 5 s)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    context.set_default_timeout(20_000)  # generous: CI machines may be busy
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db):
    from catalogue.demo import load_pilot_catalogue
    from eaccount.demo import load_demo_people

    load_pilot_catalogue()
    return load_demo_people()


def login_through_demo_page(page, person, means: str = "eid_card", next_url: str = "") -> None:
    """Log `person` in through the demo eID page, as a user would: pick the person and the means, submit."""
    url = "/account/login/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    page.select_option("#id_person", value=str(person.pk))
    page.check(f"input[name='means'][value='{means}']")
    with page.expect_navigation():
        page.click("main form[method='post'] button[type='submit']:not(.link-button)")


@pytest.fixture
def login_as(demo_data):
    """`login_as(page, key, means="eid_card")`: log a demo person (a key of DEMO_PERSONS) in; returns the Person."""

    def _login(page, key: str, means: str = "eid_card", next_url: str = ""):
        person = demo_data[key]
        login_through_demo_page(page, person, means=means, next_url=next_url)
        return person

    _login.people = demo_data
    return _login


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation.get('impact')}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation.get("nodes", [])[:5]:
            lines.append(
                f"    at {', '.join(map(str, node.get('target', [])))}: {node.get('failureSummary', '').strip()}"
            )
            lines.append(f"       {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Run axe-core on the current page with the WCAG 2.1 A/AA rules; fail with a readable list."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": EXTRA_RULES,
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert not violations, f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n" + (
        _format_violations(violations)
    )


@pytest.fixture
def axe_check():
    """The `assert_no_axe_violations` helper as a fixture."""
    return assert_no_axe_violations
