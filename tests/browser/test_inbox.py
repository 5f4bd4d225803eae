"""The inbox in a real browser (its pages have no script: links and form posts): the header counts Anna's unread messages; opening
one reads it (the count goes down); she archives it and finds it in the archive; the documents page
lists the result of her case and downloads it. axe finds nothing on each page."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


def _unread(page) -> int:
    badge = page.get_by_test_id("unread-count")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_anna_reads_archives_and_downloads_without_script(page, login_as, demo_data):
    from requests_registry.demo import load_demo_cases

    load_demo_cases(demo_data)
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "citizen_parent", means="eid_card")

    # the header counts the unread messages
    page.goto("/account/inbox/")
    before = _unread(page)
    assert before > 0
    assert_no_axe_violations(page)

    # opening the newest reads it
    page.locator("table.data-table tbody tr").first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/account/inbox/messages/\d+/$"))
    subject = page.locator("h1").inner_text()
    assert _unread(page) == before - 1
    assert_no_axe_violations(page)

    # archived, it leaves the inbox for the archive
    page.get_by_role("button", name="Arhivēt").click()
    expect(page).to_have_url(re.compile(r"/account/inbox/$"))
    expect(page.locator("table.data-table")).not_to_contain_text(subject)
    page.get_by_role("link", name="Arhīvs").click()
    expect(page.locator("table.data-table")).to_contain_text(subject)

    # the documents page has the result of her completed case, and it downloads
    page.get_by_role("link", name="Dokumenti").first.click()
    expect(page).to_have_url(re.compile(r"/account/documents/$"))
    result = page.get_by_test_id("documents-table").locator("a", has_text="Izziņa")
    expect(result).to_have_count(1)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        result.click()
    assert download.value.suggested_filename == "izzina.pdf"
