"""Every main page on a phone (WCAG 2.1 1.4.10 Reflow): at 320 and 390 CSS px wide nothing scrolls
sideways and axe finds no WCAG 2.1 A/AA violation (the `region` rule included); the main navigation is
a menu button below 48em; the header's "acting for" switch works in one click, with or without script.

Each page is loaded once and checked at both widths (the window is resized, not reloaded)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, login_through_demo_page

WIDTHS = (320, 390)
HEIGHT = 740

# the elements that stick out on the right, for a readable failure
WIDE_ELEMENTS_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.getClientRects().length)
  .filter(e => !e.closest('.table-scroll') || getComputedStyle(e).position === 'absolute')
  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
                      + ' right=' + Math.round(e.getBoundingClientRect().right))"""


def _fits(page, where: str) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (
        f"{where}: the page is {scroll_width}px wide in a {inner_width}px window; "
        f"sticking out: {page.evaluate(WIDE_ELEMENTS_JS)}"
    )


def _check(page, url: str, status: int = 200) -> None:
    """Open `url` once; at each phone width it fits the window and axe finds nothing."""
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        _fits(page, f"{url} at {width}px")
        assert_no_axe_violations(page)


@pytest.fixture
def demo_cases(demo_data):
    from requests_registry.demo import load_demo_cases

    load_demo_cases(demo_data)
    return demo_data


def test_citizen_pages_reflow_at_320_and_390_px(page, login_as, demo_cases, settings):
    # the error pages answer at addresses of the test's own URLconf (the portal's plus /test/…)
    settings.ROOT_URLCONF = "tests.browser.reflow_urls"
    from eaccount.models import Message
    from requests_registry.models import Case, Consultation

    # given Anna (who represents her son and so has the "acting for" switch), on a phone
    anna = login_as(page, "citizen_parent", means="eid_card")
    case = Case.objects.filter(client_person=anna).order_by("id").first()
    consultation = Consultation.objects.filter(client_person=anna).order_by("id").first()
    message = Message.objects.filter(person=anna).order_by("id").first()
    assert case is not None and consultation is not None and message is not None

    # then every page she uses fits 320 and 390 px and passes axe
    for url in [
        "/",
        "/services/",
        "/services/?q=pabalsts",
        "/services/1011/",
        "/cases/apply/1011/",
        "/cases/",
        case.get_absolute_url(),
        "/cases/consultations/",
        f"/cases/consultations/{consultation.pk}/",
        "/account/inbox/",
        f"/account/inbox/messages/{message.pk}/",
        "/account/inbox/?folder=archive",
        "/account/documents/",
        "/account/profile/",
        "/delegation/",
        "/delegation/act-for/",
    ]:
        _check(page, url)
    # and the error pages too
    _check(page, "/no-such-page/", 404)
    _check(page, "/test/forbidden/", 403)
    _check(page, "/test/bad-request/", 400)
    _check(page, "/test/conflict/", 409)
    _check(page, "/test/server-error/", 500)

    # the main navigation is a menu button on the phone: closed, then open with every link in reach
    page.goto("/cases/")
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    nav = page.get_by_role("navigation", name="Galvenā navigācija")
    expect(nav.get_by_role("link", name="Mani pieprasījumi")).to_be_hidden()
    nav.locator("summary").click()
    expect(nav.get_by_role("link", name="Mani pieprasījumi")).to_be_visible()
    _fits(page, "the open menu at 320px")
    assert_no_axe_violations(page)
    # and the open "acting for" switch fits too
    page.locator(".act-for > summary").click()
    expect(page.locator(".act-for-panel")).to_be_visible()
    box = page.locator(".act-for-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    _fits(page, "the open acting-for switch at 320px")
    assert_no_axe_violations(page)

    # on a wide screen the navigation is a plain row of links, no menu button
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(nav.locator("summary")).to_be_hidden()
    expect(nav.get_by_role("link", name="Mani pieprasījumi")).to_be_visible()


def test_staff_and_editor_pages_reflow_at_320_and_390_px(page, login_as, demo_cases, browser, live_server):
    from requests_registry.models import Case

    case = Case.objects.filter(service__code="1011").order_by("id").first()

    # given the VSAA staff member on a phone: the agency's cases, a case, a consultation record
    login_as(page, "vsaa_staff", means="eid_card")
    for url in ["/cases/agency/", f"/cases/agency/{case.number}/", "/cases/agency/consultations/new/"]:
        _check(page, url)

    # and the VSAA admin: the services they edit, one service's edit, preview and history pages
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    admin_page = context.new_page()
    try:
        login_as(admin_page, "vsaa_admin", means="eid_card")
        for url in [
            "/services/manage/",
            "/services/manage/1011/edit/",
            "/services/manage/1011/preview/",
            "/services/manage/1011/history/",
        ]:
            _check(admin_page, url)
    finally:
        context.close()


def _switch_to_the_child_from_the_header(page, child_name: str) -> None:
    page.goto("/cases/")
    expect(page.get_by_test_id("acting-for")).to_have_text("savā vārdā")
    page.locator(".act-for > summary").click()
    choice = page.locator(".act-for-panel").get_by_role("button", name=re.compile(child_name))
    expect(choice).to_contain_text("Likumiskā pārstāvība")
    with page.expect_navigation():
        choice.click()


def test_anna_switches_to_her_son_from_the_header(page, login_as, demo_data):
    # given Anna, on her cases, acting for herself
    login_as(page, "citizen_parent", means="eid_card")
    # when she opens "acting for" in the header and chooses her son
    _switch_to_the_child_from_the_header(page, "Jānis Bērziņš")
    # then she is back on the same page, and the header says she acts for Jānis
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_test_id("acting-for")).to_have_text("Jānis Bērziņš")
    expect(page.get_by_role("status")).to_contain_text("Jānis Bērziņš")
    # and the switch marks him as the current choice and offers herself back
    page.locator(".act-for > summary").click()
    expect(page.locator(".act-for-panel [aria-current='true']")).to_contain_text("Jānis Bērziņš")
    expect(
        page.locator(".act-for-panel").get_by_role("button", name=re.compile("Anna Bērziņa"))
    ).to_be_visible()


def test_the_header_switch_works_without_javascript(browser, live_server, demo_data):
    # given Anna in a browser with JavaScript turned off
    context = browser.new_context(base_url=live_server.url, locale="lv-LV", java_script_enabled=False)
    try:
        page = context.new_page()
        login_through_demo_page(page, demo_data["citizen_parent"], means="eid_card")
        # when she switches to her son from the header
        _switch_to_the_child_from_the_header(page, "Jānis Bērziņš")
        # then the header says she acts for him
        expect(page).to_have_url(re.compile(r"/cases/$"))
        expect(page.get_by_test_id("acting-for")).to_have_text("Jānis Bērziņš")
        # and the phone menu opens without script too
        page.set_viewport_size({"width": 320, "height": HEIGHT})
        nav = page.get_by_role("navigation", name="Galvenā navigācija")
        nav.locator("summary").click()
        expect(nav.get_by_role("link", name="Mani pieprasījumi")).to_be_visible()
    finally:
        context.close()
