"""The dashboard in a real browser: Anna logs in and lands on it, sees the agency's question with a link to
the answer form; axe finds no WCAG 2.1 A/AA violation at 1280 and 390 CSS px, and on a phone (and at
320 px) nothing scrolls sideways."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


def _fits(page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width}px wide in a {inner_width}px window"


def test_anna_lands_on_her_dashboard(page, login_as, demo_data):
    from requests_registry.demo import load_demo_cases

    # given Anna's demo cases (one waits for her answer, one is completed)
    load_demo_cases(demo_data)

    # when she logs in on a desktop
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")

    # then she lands on the dashboard, in Latvian, with the agency's question and a link to answer it
    expect(page).to_have_url(re.compile(r"/account/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    action = page.get_by_test_id("dashboard-needs-action")
    expect(action).to_contain_text("Lūdzu, norādiet, vai bērns dzīvo kopā ar Jums.")
    expect(action.locator("a[href$='#needs-info-title']")).to_have_count(1)
    expect(page.get_by_test_id("dashboard-results").locator("li")).to_have_count(1)
    assert_no_axe_violations(page)

    # and on a phone the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 740})
    _fits(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    _fits(page)

    # the answer link opens the case page at its answer form
    page.set_viewport_size({"width": 1280, "height": 800})
    action.locator("a[href$='#needs-info-title']").click()
    expect(page.locator("#needs-info-title")).to_be_visible()


def test_an_empty_dashboard_says_what_to_do_next(page, login_as):
    page.set_viewport_size({"width": 390, "height": 740})
    login_as(page, "citizen_parent", means="eid_card")

    expect(page.get_by_test_id("dashboard-empty").locator("a[href='/services/']")).to_be_visible()
    _fits(page)
    assert_no_axe_violations(page)
