"""The invoice pages in a real browser: Anna's invoice for the Population Register statement (1036,
demo data and demo payees), axe finds no WCAG 2.1 A/AA violation at 1280, 390 and 320 CSS px and
nothing scrolls sideways on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(tab, width: int) -> None:
    scroll_width, inner_width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"at {width}px the page is {scroll_width}px wide"


def test_anna_reads_her_invoice_on_a_desktop_and_a_phone(page, login_as, demo_data):
    from catalogue.models import Service
    from kernel.actors import Actor
    from payments import services
    from payments.demo import load_demo_payees
    from requests_registry.tests.factories import CaseFactory

    load_demo_payees()
    anna = demo_data["citizen_parent"]
    case = CaseFactory(service=Service.objects.get(code="1036"), client_person=anna)
    invoice = services.invoice_issue(actor=Actor.system("tests"), case=case, kind="prepayment")

    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")
    for url in ("/payments/", invoice.get_absolute_url()):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(url)
        expect(page.locator("main")).to_contain_text(invoice.reference_display)
        assert_no_axe_violations(page)
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 740})
            _fits(page, width)
            assert_no_axe_violations(page)


def test_anna_pays_her_invoice_online_in_the_sandbox_on_a_phone(page, login_as, demo_data):
    from payments.demo import load_demo_invoices, load_demo_payees
    from payments.models import Invoice

    load_demo_payees()
    load_demo_invoices(demo_data)
    invoice = Invoice.objects.get(case__external_reference="demo:anna-1036-to-pay")

    page.set_viewport_size({"width": 320, "height": 740})
    login_as(page, "citizen_parent", means="eid_card")
    page.goto("/account/dashboard/")
    expect(page.get_by_test_id("dashboard-to-pay")).to_contain_text(invoice.reference_display)
    page.goto(invoice.get_absolute_url())
    page.get_by_test_id("pay-online").click()

    expect(page.get_by_test_id("sandbox-banner")).to_be_visible()
    _fits(page, 320)
    assert_no_axe_violations(page)
    page.get_by_test_id("sandbox-pay").click()
    assert_no_axe_violations(page)
    page.get_by_test_id("sandbox-return").click()

    expect(page).to_have_url(f"{page.url.split('/payments/')[0]}{invoice.get_absolute_url()}")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.get_by_test_id("invoice-payments")).to_contain_text("4,27")
    _fits(page, 320)
    assert_no_axe_violations(page)
    invoice.refresh_from_db()
    assert invoice.state == "paid"
