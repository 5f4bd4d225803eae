"""The request registry in a real browser: Anna applies online for the childbirth benefit (1011),
sees her case 1011-… with its timeline; axe finds no WCAG 2.1 A/AA violations on the pages."""

import re

from playwright.sync_api import expect

from requests_registry.models import Case
from requests_registry.tests.factories import newborn_child_data
from tests.browser.conftest import assert_no_axe_violations


def test_anna_applies_for_1011_and_sees_her_case(page, login_as):
    # given Anna logged in with her eID card, on the apply page of service 1011
    anna = login_as(page, "citizen_parent", means="eid_card")
    page.goto("/cases/apply/1011/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_test_id("apply-for")).to_have_text("Anna Bērziņa")
    assert_no_axe_violations(page)

    # when she checks an incomplete form, the errors are listed and nothing is stored
    page.click("button[value='check']")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    assert not Case.objects.exists()

    # when she fills it in, checks it and submits it
    newborn = newborn_child_data()
    page.fill("#id_child_personal_code", newborn["child_personal_code"])
    page.fill("#id_child_birth_date", newborn["child_birth_date"])
    page.fill("#id_iban", newborn["iban"])
    with page.expect_navigation():
        page.click("button[value='check']")
    expect(page.locator("dl.facts")).to_contain_text(newborn["child_personal_code"])
    with page.expect_navigation():
        page.click("button[value='submit']")

    # then she is on her case's page with its number and the timeline
    expect(page).to_have_url(re.compile(r"/cases/1011-\d{7}/$"))
    expect(page.locator("h1")).to_contain_text("1011-0000001")
    expect(page.locator("table.timeline tbody tr")).to_have_count(1)
    case = Case.objects.get()
    assert case.number == "1011-0000001" and case.client_person_id == anna.pk
    assert_no_axe_violations(page)

    # and the case is in "my cases"
    page.goto("/cases/")
    expect(page.locator("table.data-table")).to_contain_text("1011-0000001")
    assert_no_axe_violations(page)


def test_answer_form_and_agency_pages_are_accessible(page, login_as, demo_data, browser, live_server):
    # given Anna's case for which VSAA asked a question
    from requests_registry.demo import load_demo_cases

    load_demo_cases(demo_data)
    case = Case.objects.get(service__code="1011")

    # when Anna opens it, she sees the question and the answer form
    login_as(page, "citizen_parent", means="internet_bank")
    page.goto(case.get_absolute_url())
    expect(page.locator("#needs-info-title")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/account/inbox/")
    expect(page.locator("table.data-table")).to_contain_text(case.number)
    assert_no_axe_violations(page)

    # and the VSAA staff member sees it among the agency's cases and on its staff page
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    staff_page = context.new_page()
    try:
        login_as(staff_page, "vsaa_staff", means="eid_card")
        staff_page.goto("/cases/agency/")
        expect(staff_page.locator("table.data-table")).to_contain_text(case.number)
        assert_no_axe_violations(staff_page)
        staff_page.goto(f"/cases/agency/{case.number}/")
        expect(staff_page.locator("table.timeline tbody tr")).to_have_count(4)
        assert_no_axe_violations(staff_page)
    finally:
        context.close()


def test_anna_acts_for_her_son_and_the_header_says_so(page, login_as, demo_data):
    # given Anna logged in, on the "whom you act for" page
    login_as(page, "citizen_parent", means="eid_card")
    page.goto("/delegation/")
    assert_no_axe_violations(page)
    page.goto("/delegation/act-for/?next=/cases/apply/1030/")
    assert_no_axe_violations(page)
    # when she chooses her son Jānis
    page.check(f"input[name='principal'][value='person:{demo_data['child'].pk}']")
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    # then every page says she acts for him, and the application (a residence declaration, which a
    # minor may be the client of) is his
    expect(page).to_have_url(re.compile(r"/cases/apply/1030/$"))
    expect(page.get_by_test_id("acting-for")).to_have_text("Jānis Bērziņš")
    expect(page.get_by_test_id("apply-for")).to_have_text("Jānis Bērziņš")


def test_anna_rates_the_consultation_she_was_given(page, login_as, demo_data):
    # given the advice Anna got by phone from the Valmiera centre
    from requests_registry.demo import DEMO_CONSULTATION_TOPIC, load_demo_cases
    from requests_registry.models import Feedback

    load_demo_cases(demo_data)
    login_as(page, "citizen_parent", means="eid_card")

    # when she opens her consultations, she sees it and can rate it
    page.goto("/cases/consultations/")
    expect(page.locator("table.data-table")).to_contain_text(DEMO_CONSULTATION_TOPIC)
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name=DEMO_CONSULTATION_TOPIC, exact=True).click()
    expect(page.locator("#feedback-title")).to_be_visible()
    assert_no_axe_violations(page)

    # a rating is required: the error is listed and nothing is stored
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    assert not Feedback.objects.exists()

    # then she rates it with the keyboard-reachable radio buttons and sees her rating
    page.check("input[name='rating'][value='5']")
    page.fill("#id_comment", "Paldies, viss skaidrs.")
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    expect(page.locator("main")).to_contain_text("5")
    expect(page.locator("#feedback-title")).to_have_count(0)
    assert Feedback.objects.get().rating == 5


def test_a_second_childbirth_benefit_for_the_same_baby_is_refused_with_a_link(page, login_as, demo_data):
    # given Anna's open 1011 case for her newborn (the demo cases)
    from requests_registry.demo import load_demo_cases

    load_demo_cases(demo_data)
    first = Case.objects.get(service__code="1011")
    login_as(page, "citizen_parent", means="eid_card")

    # when she applies again for the same baby
    page.goto("/cases/apply/1011/")
    page.fill("#id_child_personal_code", first.data["child_personal_code"])
    page.fill("#id_child_birth_date", first.data["child_birth_date"])
    page.fill("#id_iban", "LV80BANK0000435195001")
    with page.expect_navigation():
        page.click("button[value='check']")
    with page.expect_navigation():
        page.click("button[value='submit']")

    # then she is told why, with a link to the open case, and nothing new is filed
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(f"a[href='{first.get_absolute_url()}']")).to_be_visible()
    assert Case.objects.filter(service__code="1011").count() == 1
    assert_no_axe_violations(page)
