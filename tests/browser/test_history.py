"""The interaction history in a real browser: Anna's timeline shows her demo cases, a case filed for
her at a one-stop centre (marked) and a message; axe finds no WCAG 2.1 A/AA violation at 1280 and
390 CSS px, and on a phone nothing scrolls sideways (the table scrolls in its own region)."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


def _fits(page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width}px wide in a {inner_width}px window"


def test_anna_reads_her_history(page, login_as, demo_data):
    from eaccount.inbox import message_send
    from kernel.constants import Basis, Channel
    from requests_registry.demo import load_demo_cases
    from requests_registry.tests.factories import CaseFactory, ServiceFactory

    # given Anna's demo cases, a case filed for her at a one-stop centre and a message
    load_demo_cases(demo_data)
    anna = demo_data["citizen_parent"]
    at_centre = CaseFactory(
        service=ServiceFactory(
            title_lv="Dzīvesvietas deklarēšana ar ļoti garu nosaukumu, kas neietilpst šaurā ekrānā"
        ),
        client_person=anna,
        channel=Channel.VPVKAC,
        basis=Basis.AUTHORISED_FILING,
    )
    message_send(to=anna, sender_label="VSAA", subject="Jūsu iesniegums ir saņemts un reģistrēts")

    # when she opens the page on a desktop
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")
    response = page.goto("/account/history/")
    assert response.status == 200

    # then the entries are listed, the centre's case marked
    table = page.get_by_test_id("history-table")
    expect(table).to_contain_text(at_centre.number)
    expect(table).to_contain_text("Jūsu iesniegums ir saņemts un reģistrēts")
    expect(page.get_by_test_id("filed-at-centre").first).to_be_visible()
    assert_no_axe_violations(page)

    # and the filter works without JavaScript
    page.locator("input[name=kind][value=message]").check()
    page.locator("form[data-testid=history-filters] button[type=submit]").click()
    expect(table).to_contain_text("Jūsu iesniegums")
    expect(page.locator("[data-testid=history-table] tbody tr[data-kind=status]")).to_have_count(0)

    # and on a phone the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 740})
    page.goto("/account/history/")
    _fits(page)
    assert_no_axe_violations(page)
