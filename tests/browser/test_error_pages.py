"""The 404 page in a real browser: accessible (axe, WCAG 2.1 A/AA) on a 320 px phone and on a desktop,
no horizontal scrolling at 320 px, and the language switch keeps the visitor on it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def _horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320px", "desktop"])
def test_not_found_page_is_accessible(page, viewport):
    # given a phone-sized or desktop window
    page.set_viewport_size(viewport)

    # when the visitor opens an address that does not exist
    response = page.goto("/no-such-page/")

    # then our 404 page answers, in the layout, with no WCAG 2.1 A/AA violations
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Lapa nav atrasta")
    expect(page.locator(".language-switch")).to_be_visible()
    assert_no_axe_violations(page)
    # and, at 320 px, nothing makes the page scroll sideways
    if viewport == PHONE:
        assert _horizontal_overflow(page) <= 0


def test_language_switch_keeps_the_visitor_on_the_not_found_page(page):
    # given the 404 page, in Latvian
    page.goto("/no-such-page/")
    expect(page.locator("html")).to_have_attribute("lang", "lv")

    # when the visitor switches to English
    with page.expect_navigation():
        page.locator(".language-switch button[lang='en']").click()

    # then the same page is shown in English
    assert page.url.endswith("/no-such-page/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Page not found")
