"""The receipt of a filed application in a real browser: Anna opens it from her case page (a plain
link: the page has no script); it lists what she filed, axe finds no WCAG 2.1 A/AA violation at 1280, 390 and 320 CSS px,
nothing scrolls sideways on a phone, printing shows the receipt alone, and its PDF downloads."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


def _fits(page, width: int) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"at {width}px the page is {scroll_width}px wide"


def test_anna_prints_the_receipt_of_her_application(page, login_as, demo_data):
    from requests_registry.models import CaseAttachment
    from requests_registry.tests.factories import CaseFactory, ServiceFactory

    # given Anna's case with a long service title, a long comment and an attached file
    anna = demo_data["citizen_parent"]
    case = CaseFactory(
        service=ServiceFactory(
            title_lv="Dzīvesvietas deklarēšana ar ļoti garu nosaukumu, kas neietilpst šaurā ekrānā"
        ),
        client_person=anna,
        data={
            "child_personal_code": "030718-23455",
            "child_birth_date": "2018-07-03",
            "comment": "Garš-komentārs-bez-atstarpēm-" * 8,
            "consent": True,
        },
    )
    CaseAttachment.objects.create(
        case=case,
        kind=CaseAttachment.Kind.APPLICATION,
        field_name="document",
        file="cases/x.pdf",
        original_name="dzimšanas-apliecība-ļoti-garš-faila-nosaukums.pdf",
    )

    # when she opens it from the case page, on a desktop
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")
    page.goto(case.get_absolute_url())
    with page.expect_navigation():
        page.get_by_test_id("case-receipt-link").click()

    # then the receipt lists the case, what she filed and the file's name
    expect(page.get_by_test_id("receipt-number")).to_have_text(case.number)
    fields = page.get_by_test_id("receipt-fields")
    expect(fields).to_contain_text("Bērna personas kods")
    expect(fields).to_contain_text("030718-23455")
    expect(fields).to_contain_text("dzimšanas-apliecība-ļoti-garš-faila-nosaukums.pdf")
    assert_no_axe_violations(page)

    # and on phones it fits the window and passes axe
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 740})
        _fits(page, width)
        assert_no_axe_violations(page)

    # and printed, the header, footer and the page's buttons are left out
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_test_id("receipt-pdf")).to_be_hidden()
    expect(page.get_by_test_id("receipt-number")).to_be_visible()
    page.emulate_media(media="screen")

    # and the PDF downloads
    response = page.request.get(page.get_by_test_id("receipt-pdf").get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
