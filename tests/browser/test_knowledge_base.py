"""The knowledge base in a real browser, with the demo content: Ilze (Valmiera centre) searches
"berna pabalst", opens the VSAA article with the centre note and runs the childbirth call script to
its end; Edgars (VSAA) opens the edit page and builds a call script in the editor; a citizen reads the
public FAQ on the service page. axe
finds no WCAG 2.1 A/AA violation at 1280 and 320 CSS px, and nothing scrolls sideways at 320."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(tab, width: int) -> None:
    scroll_width, inner_width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"at {width}px the page is {scroll_width}px wide"


def _check(page) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        if width == 320:
            _fits(page, width)
        assert_no_axe_violations(page)


@pytest.fixture
def knowledge(demo_data):
    from knowledge_base.demo import load_demo_knowledge

    load_demo_knowledge(demo_data)
    return demo_data


def test_ilze_finds_the_childbirth_benefit_and_runs_the_call_script(page, login_as, knowledge):
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "centre_specialist", means="eid_card")

    page.goto("/knowledge/?q=berna+pabalst")
    expect(page.get_by_test_id("kb-results")).to_contain_text("Bērna piedzimšanas pabalsts")
    _check(page)
    page.get_by_role("link", name="Bērna piedzimšanas pabalsts", exact=True).click()
    expect(page.get_by_test_id("kb-centre-notes")).to_contain_text("Valmieras VPVKAC")
    expect(page.get_by_test_id("kb-faq")).to_be_visible()
    _check(page)
    page.get_by_test_id("kb-history").locator("summary").click()
    page.get_by_test_id("kb-history").locator("a").first.click()
    expect(page.get_by_test_id("kb-diff")).to_be_visible()
    _check(page)

    page.goto("/knowledge/scripts/")
    _check(page)
    page.get_by_test_id("kb-script-start").first.click()
    _check(page)
    page.get_by_test_id("kb-run-next").click()  # start → is the birth registered?
    _check(page)
    for _ in range(3):  # yes, within 12 months, has an eID
        page.locator("input[name='answer'][value='0']").check()
        page.get_by_test_id("kb-run-next").click()
    expect(page.get_by_test_id("kb-run-article")).to_be_visible()
    page.get_by_test_id("kb-run-next").click()
    page.get_by_test_id("kb-run-finish").click()
    expect(page.get_by_test_id("kb-run-outcome")).to_be_visible()
    _check(page)

    # she records the consultation: the run is filled in, she names the article she answered from
    from knowledge_base.models import Article
    from requests_registry.models import Consultation

    article = Article.objects.get(title_lv="Bērna piedzimšanas pabalsts")
    page.get_by_test_id("kb-run-record").click()
    _check(page)
    page.fill("#id_topic", "Kā saņemt bērna piedzimšanas pabalstu")
    page.fill("#id_duration_minutes", "7")
    page.select_option("#id_outcome", "answered")
    page.fill("#id_article", str(article.pk))
    page.select_option("#id_article_useful", "yes")
    page.locator("main form button[type='submit']").click()
    expect(page.locator(".messages")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.article == article and consultation.article_useful is True
    assert consultation.script_run is not None and consultation.script_run.is_finished
    page.goto(f"/knowledge/articles/{article.pk}/")
    expect(page.get_by_test_id("kb-usage")).to_be_visible()

    page.goto("/knowledge/subscriptions/")
    expect(page.get_by_test_id("kb-subscriptions")).to_contain_text("Ģimene un bērni")
    _check(page)


def test_edgars_opens_the_edit_page(page, login_as, knowledge):
    from knowledge_base.models import Article

    article = Article.objects.get(title_lv="Bērna piedzimšanas pabalsts")
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "vsaa_staff", means="eid_card")

    page.goto(f"/knowledge/articles/{article.pk}/edit/")
    expect(page.get_by_test_id("kb-save")).to_be_visible()
    _check(page)
    page.goto("/knowledge/articles/new/")
    _check(page)


def test_a_citizen_reads_the_public_faq_on_the_service_page(page, knowledge):
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto("/services/1011/")
    expect(page.get_by_test_id("service-faq")).to_contain_text("Vai pabalstu var pieprasīt abi vecāki?")
    _check(page)
    page.goto("/knowledge/?q=pabalsts")
    _check(page)


def test_edgars_builds_a_call_script_in_the_editor(page, login_as, knowledge):
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "vsaa_staff", means="eid_card")

    page.goto("/knowledge/scripts/")
    page.get_by_test_id("kb-script-new").click()
    _check(page)
    page.locator("input[name='title_lv']").fill("Zvans par pasi")
    page.locator("textarea[name='text_lv']").fill("Labdien! Kā varu palīdzēt?")
    page.get_by_test_id("kb-script-create").click()
    expect(page.get_by_test_id("kb-script-nodes")).to_contain_text("start")
    expect(page.get_by_test_id("kb-script-problems")).to_be_visible()
    _check(page)

    page.get_by_test_id("kb-node-add").scroll_into_view_if_needed()
    page.locator("input[name='kind'][value='end']").check()
    page.get_by_test_id("kb-node-add").click()
    expect(page.get_by_test_id("kb-node-save")).to_be_visible()
    _check(page)
    page.locator("textarea[name='text_lv']").fill("Paldies par zvanu.")
    page.locator("select[name='outcome']").select_option("informed")
    page.get_by_test_id("kb-node-save").click()

    page.get_by_test_id("kb-node-edit").first.click()  # the start node
    page.locator("select[name='next']").select_option("end-1")
    _check(page)
    page.get_by_test_id("kb-node-save").click()
    expect(page.get_by_test_id("kb-script-problems")).to_have_count(0)
    page.get_by_test_id("kb-script-publish").click()
    expect(page.get_by_test_id("kb-script-nodes")).to_be_visible()
    _check(page)

    page.get_by_test_id("kb-node-add").scroll_into_view_if_needed()
    page.locator("input[name='kind'][value='question']").check()
    page.get_by_test_id("kb-node-add").click()
    expect(page.locator("select[name='option_0_next']")).to_be_visible()
    _check(page)
