"""The catalogue in a real browser: a visitor searches "berna pabalst", opens 1011 and sees how to
apply; the VSAA admin edits and publishes 1011 and sees its history; axe finds no WCAG 2.1 A/AA
violations on the catalogue, results, service, editing, preview and history pages."""

from playwright.sync_api import expect

from catalogue.models import Service
from tests.browser.conftest import assert_no_axe_violations


def test_visitor_finds_and_reads_the_childbirth_benefit(page, demo_data):
    # given the catalogue
    page.goto("/services/")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)

    # when a visitor types "berna pabalst" without diacritics and searches
    page.fill("#id_q", "berna pabalst")
    with page.expect_navigation():
        page.click("form[role='search'] button[type='submit']")

    # then "Bērna piedzimšanas pabalsts" is among the results
    link = page.get_by_role("link", name="Bērna piedzimšanas pabalsts")
    expect(link).to_be_visible()
    assert_no_axe_violations(page)

    # and its page shows the channels, the fee, the processing time and the centres
    with page.expect_navigation():
        link.click()
    expect(page.locator("h1")).to_have_text("Bērna piedzimšanas pabalsts")
    expect(page.locator("#how-to-apply")).to_be_visible()
    expect(page.locator("section.channel")).to_have_count(4)
    expect(page.locator("ul.centres").first).to_contain_text("Valmierā")
    assert_no_axe_violations(page)

    # and the category and life event pages
    page.goto("/services/category/social-security/")
    assert_no_axe_violations(page)
    page.goto("/services/life-event/child_birth/")
    expect(page.get_by_role("link", name="Bērna piedzimšanas pabalsts")).to_be_visible()
    assert_no_axe_violations(page)


def test_vsaa_admin_edits_publishes_and_reads_history(page, login_as):
    login_as(page, "vsaa_admin", means="eid_card")
    page.goto("/services/manage/")
    assert_no_axe_violations(page)

    page.goto("/services/manage/1011/edit/")
    assert_no_axe_violations(page)
    page.fill("#id_title_en", "Childbirth allowance")
    with page.expect_navigation():
        page.click("main form[method='post'] button[type='submit']")
    expect(page.locator("h1")).to_contain_text("Bērna piedzimšanas pabalsts")  # the preview
    assert_no_axe_violations(page)
    assert Service.objects.get(code="1011").title_en == "Childbirth benefit"  # not public yet

    with page.expect_navigation():
        page.click("a[href$='/publish/']")  # the changes to review before publishing
    assert_no_axe_violations(page)
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("form[action$='/publish/'] button")
    expect(page.locator("#version-2")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Childbirth allowance")
    assert_no_axe_violations(page)
    assert Service.objects.get(code="1011").version == 2

    # a PMLP service is out of reach, and not told apart from a code that does not exist
    response = page.goto("/services/manage/1030/edit/")
    assert response.status == 404
