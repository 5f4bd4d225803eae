"""The foundation in a real browser: demo eID login, language switch, logout, and axe on the base pages."""

from playwright.sync_api import expect

from audit.models import AuditEvent
from tests.browser.conftest import assert_no_axe_violations


def test_citizen_logs_in_with_demo_eid_and_sees_her_name(page, login_as):
    # given the demo citizen on the demo eID page
    # when she logs in with her eID card
    login_as(page, "citizen_parent", means="eid_card")
    # then the header shows her name, and that she acts for herself
    expect(page.get_by_test_id("current-user")).to_have_text("Anna Bērziņa")
    expect(page.get_by_test_id("acting-for")).to_be_visible()
    # and the login was recorded with a high level of assurance
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_label == "Anna Bērziņa"
    assert event.data["level"] == "high"


def test_language_switches_to_english_and_back(page, demo_data):
    # given the home page, in Latvian by default
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.locator(".header-tools a.button")).to_have_text("Pieteikties")
    # when the visitor switches to English
    with page.expect_navigation():
        page.locator(".language-switch button[lang='en']").click()
    # then the page is in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".header-tools a.button")).to_have_text("Log in")
    expect(page.locator(".skip-link")).to_have_text("Skip to main content")
    # and switching back gives Latvian again
    with page.expect_navigation():
        page.locator(".language-switch button[lang='lv']").click()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.locator(".header-tools a.button")).to_have_text("Pieteikties")


def test_language_choice_survives_login_and_logout(page, login_as):
    # given a visitor who chose English
    page.goto("/")
    with page.expect_navigation():
        page.locator(".language-switch button[lang='en']").click()
    # when she logs in and out
    login_as(page, "citizen_parent", means="internet_bank")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    # then the page is still English and says she logged out
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_contain_text("You have logged out.")


def test_citizen_logs_out(page, login_as):
    # given a logged-in citizen
    login_as(page, "citizen_parent")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    # when she logs out
    with page.expect_navigation():
        page.locator("form[action='/account/logout/'] button").click()
    # then the header offers to log in again, and her profile needs a login
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    expect(page.locator(".header-tools a.button")).to_be_visible()
    page.goto("/account/profile/")
    assert "/account/login/" in page.url
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


def test_person_without_login_is_refused_with_an_error_summary(page, demo_data):
    # given the demo eID page
    page.goto("/account/login/")
    # when a person without eID is chosen
    page.select_option("#id_person", value=str(demo_data["client_without_eid"].pk))
    with page.expect_navigation():
        page.locator("form[method='post'] button[type='submit']:not(.link-button)").click()
    # then the error summary names the problem and nobody is logged in
    expect(page.locator(".error-summary")).to_contain_text("Valdis Egle")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    assert_no_axe_violations(page)


def test_home_page_has_no_wcag_violations(page, demo_data):
    page.goto("/")
    assert_no_axe_violations(page)


def test_home_page_logged_in_in_english_has_no_wcag_violations(page, login_as):
    login_as(page, "citizen_parent")
    with page.expect_navigation():
        page.locator(".language-switch button[lang='en']").click()
    assert_no_axe_violations(page)


def test_login_page_has_no_wcag_violations(page, demo_data):
    page.goto("/account/login/")
    assert_no_axe_violations(page)


def test_profile_page_has_no_wcag_violations(page, login_as):
    login_as(page, "vsaa_admin")
    page.goto("/account/profile/")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_main_content(page, demo_data):
    # given the home page
    page.goto("/")
    # when a keyboard user presses Tab then Enter
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    # then the focus is on the main landmark
    assert page.evaluate("document.activeElement.id") == "main"


def test_not_found_page_has_no_wcag_violations(page, demo_data):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_no_axe_violations(page)


def test_keyboard_focus_is_visible(page, demo_data):
    # given the login page
    page.goto("/account/login/")
    # when a keyboard user tabs to the submit button
    button = page.locator("form[method='post'] button[type='submit']:not(.link-button)")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    # then it is drawn with a visible outline
    outline = button.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline.split()[0] != "none"
    assert outline.split()[1] != "0px"


def test_a_page_needing_high_assurance_asks_an_internet_bank_session_to_log_in_again(
    page, login_as, settings
):
    # given a citizen logged in with the internet bank (substantial) and a page that needs high
    settings.ROOT_URLCONF = "tests.browser.stepup_urls"
    login_as(page, "citizen_parent", means="internet_bank")
    # when she opens the page
    page.goto("/test/high-only/")
    # then she is on the login page, told why, and the page passes axe
    assert "/account/login/" in page.url
    expect(page.locator(".notice")).to_contain_text("eParaksts")
    assert_no_axe_violations(page)
    # when she logs in again with her eID card
    page.select_option("#id_person", value=str(login_as.people["citizen_parent"].pk))
    page.check("input[name='means'][value='eid_card']")
    with page.expect_navigation():
        page.locator("main form[method='post'] button[type='submit']:not(.link-button)").click()
    # then she is back on the page she asked for
    expect(page.locator("h1")).to_have_text("High assurance page")
    assert page.url.endswith("/test/high-only/")
