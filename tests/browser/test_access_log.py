"""The "who looked at my data" page in a real browser: Anna sees that a VSAA official and VSAA's back-office
system read her case; axe finds no WCAG 2.1 A/AA violation at 1280 and 390 CSS px, and on a phone
nothing scrolls sideways (the tables scroll in their own region)."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


def _fits(page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width}px wide in a {inner_width}px window"


def test_anna_sees_who_read_her_case(page, login_as, demo_data):
    from api_clients.models import ApiClient
    from catalogue.models import Agency
    from kernel.actors import Actor
    from kernel.constants import Channel
    from requests_registry import services
    from requests_registry.demo import load_demo_cases
    from requests_registry.models import Case

    # given Anna's demo case, read by a VSAA official (page and a file) and by VSAA's system
    load_demo_cases(demo_data)
    anna = demo_data["citizen_parent"]
    case = Case.objects.filter(client_person=anna).select_related("service__agency").order_by("id").first()
    official = Actor(user=demo_data["vsaa_staff"].user, channel=Channel.AGENCY)
    services.case_read_record(actor=official, case=case)
    services.case_read_record(actor=official, case=case, file_name="iesniegums-ar-garu-nosaukumu.pdf")
    vsaa = Agency.objects.get(code="VSAA")
    system = ApiClient.objects.create(
        agency=vsaa, name="VSAA back office", key_prefix="bt1", key_hash="0" * 64
    )
    services.case_api_read_record(actor=Actor(api_client=system, system_label=system.system_label), case=case)

    # when she opens the page on a desktop
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")
    response = page.goto("/account/access-log/")
    assert response.status == 200

    # then the official and the system are listed, with the institution and the case linked
    officials = page.get_by_test_id("access-officials")
    expect(officials.locator("tbody tr")).to_have_count(3)
    expect(officials).to_contain_text("Edgars Zariņš")
    expect(officials).to_contain_text("VSAA back office")
    expect(officials.locator(f"a[href='/cases/{case.number}/']").first).to_be_visible()
    assert_no_axe_violations(page)

    # and on a phone the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 740})
    _fits(page)
    assert_no_axe_violations(page)
