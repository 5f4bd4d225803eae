"""The one-stop centre's workplace in a real browser, with the demo people: Ilze (Valmiera centre),
logged in with an eID card, serves Valdis Egle, who has no eID, and files "Vecāku pabalsts" (1013)
for him under a written authorisation printed in two copies, gives him the receipt with the planned
date; the case is in the registry on the centre's channel and basis. The same Ilze logged in through
an internet bank is refused at step 2. axe finds nothing at 1280 and 320 CSS px on every step, and
nothing scrolls sideways at 320."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALDIS = "280867-18907"


def _check(page) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        if width == 320:
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, f"at 320px the page is {scroll_width}px wide"
        assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _serve_valdis(page) -> None:
    page.goto("/")
    page.get_by_test_id("nav-workplace").first.click()
    _check(page)
    page.get_by_role("link", name="Apkalpot klientu").click()
    _check(page)
    page.check("input[name='channel'][value='vpvkac']")
    page.check("input[name='kind'][value='person']")
    page.fill("#id_code", VALDIS)
    page.check("input[name='identity_check'][value='document']")
    page.select_option("#id_identity_document", "passport")
    page.fill("#id_identity_document_number", "LV7654321")
    page.get_by_role("button", name="Sākt apkalpošanu").click()
    expect(page.locator("h1")).to_contain_text("Valdis Egle")
    _check(page)


def _begin_1013(page) -> None:
    page.select_option("#id_service", "1013")
    page.get_by_role("button", name="Sākt pilnvaroto e-pakalpojumu").click()
    expect(page.locator("h1")).to_contain_text("PIL-")
    _check(page)


def test_ilze_files_the_parental_benefit_for_valdis_under_a_written_authorisation(page, login_as, demo_data):
    from requests_registry.constants import Basis, Channel
    from requests_registry.models import Case
    from workplace.models import AuthorisedFiling

    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "centre_specialist", means="eid_card")
    _serve_valdis(page)
    _begin_1013(page)

    # 2: she is identified with her eID card
    page.get_by_role("button", name="Apstiprināt un turpināt").click()
    _check(page)
    # 3: the authorisation, two copies; Valdis signs
    pdf = page.request.get(page.get_by_test_id("authorisation-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    page.reload()
    page.check("#id_informed")
    page.check("#id_signed")
    page.get_by_role("button", name="Parakstīts: turpināt").click()
    _check(page)
    # 4: only what the e-form asks
    born = timezone.localdate() - datetime.timedelta(days=40)
    from requests_registry.tests.factories import personal_code_for

    page.fill("#id_child_personal_code", personal_code_for(77, born=born))
    page.fill("#id_child_birth_date", born.isoformat())
    page.fill("#id_leave_start", (born + datetime.timedelta(days=7)).isoformat())
    page.select_option("#id_payment_period", "12")
    page.fill("#id_iban", "LV80BANK0000435195001")
    page.get_by_role("button", name="Pārbaudīt datus").click()
    expect(page.get_by_role("button", name="Iesniegt e-pakalpojumu")).to_be_visible()
    _check(page)
    # 5: filed
    page.get_by_role("button", name="Iesniegt e-pakalpojumu").click()
    expect(page.get_by_test_id("case-number")).to_be_visible()
    _check(page)
    # 6: the planned date, on screen and on the receipt
    receipt = page.request.get(page.get_by_test_id("receipt-pdf").get_attribute("href"))
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF-")
    page.get_by_role("button", name="Klientam paziņots: turpināt").click()
    _check(page)
    # 7: by post
    page.check("input[name='notice'][value='post']")
    page.fill("#id_address", "Rīgas iela 10, Valmiera, LV-4201")
    page.get_by_role("button", name="Saglabāt un pabeigt").click()
    expect(page.locator(".messages")).to_be_visible()
    _check(page)

    filing = AuthorisedFiling.objects.get()
    case = Case.objects.get(pk=filing.case_id)
    assert (case.service.code, case.channel, case.basis) == ("1013", Channel.VPVKAC, Basis.AUTHORISED_FILING)
    assert case.client_person.personal_code == VALDIS
    assert filing.signed_at and filing.result_notice == "post" and filing.authorisation_printed_at


def test_ilze_through_an_internet_bank_is_refused_at_step_2(page, login_as, demo_data):
    from requests_registry.models import Case

    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "centre_specialist", means="internet_bank")
    _serve_valdis(page)
    _begin_1013(page)

    expect(page.get_by_test_id("refusal")).to_contain_text("eID")
    page.get_by_role("button", name="Mēģināt šo soli vēlreiz").click()
    expect(page.locator("ol.filing-steps li[aria-current='step']")).to_contain_text("kvalificētu eID")
    _check(page)
    assert not Case.objects.exists()


def test_the_workplaces_other_pages_pass_axe_and_fit_320_px(page, login_as, demo_data):
    from requests_registry.demo import load_demo_cases
    from workplace.demo import load_demo_workplace

    load_demo_cases(demo_data)
    assert load_demo_workplace() >= 1  # the late demo case of the Valmiera centre
    page.set_viewport_size({"width": 1280, "height": 800})

    # Ilze: the start page, a client's profile opened with a purpose, a paper application, a hand-over
    login_as(page, "centre_specialist", means="eid_card")
    _serve_valdis(page)
    page.check("input[name='purpose'][value='client_request']")
    page.fill("#id_purpose_text", "Vecāku pabalsts")
    page.get_by_role("button", name="Atvērt profilu").click()
    expect(page.locator("h1")).to_contain_text("Valdis Egle")
    _check(page)
    page.go_back()
    page.get_by_role("link", name="Nodot turpmāko rīcību").click()
    _check(page)
    page.go_back()
    page.get_by_role("link", name="Reģistrēt iesniegumu").click()
    _check(page)
    page.select_option("#id_service", "1013")
    page.get_by_role("button", name="Turpināt").click()
    _check(page)
    page.goto("/workplace/")
    _check(page)
    page.goto("/workplace/handovers/")
    _check(page)
    page.context.clear_cookies()

    # Inga, the centre's supervisor: the late case is in her escalations, once
    login_as(page, "centre_admin", means="eid_card")
    page.get_by_test_id("nav-escalations").first.click()
    expect(page.locator("main")).to_contain_text("1018")
    assert page.locator("main [data-testid^='escalation-']").count() == 1
    _check(page)
    page.context.clear_cookies()

    # Edgars (VSAA staff) looks a client up: the form, then the profile limited to VSAA
    login_as(page, "vsaa_staff", means="internet_bank")
    page.goto("/workplace/clients/")
    _check(page)
    page.fill("#id_code", "150585-12343")
    page.check("input[name='purpose'][value='case']")
    page.fill("#id_purpose_text", "Bērna piedzimšanas pabalsts")
    page.get_by_role("button", name="Atvērt profilu").click()
    expect(page.locator("h1")).to_contain_text("Anna")
    _check(page)
