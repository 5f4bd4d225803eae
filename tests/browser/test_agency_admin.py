"""The agency's administration portal (issue 15) in a real browser, with the demo people.

Māris (VSAA's admin) turns four eyes on for VSAA, edits "Bērna kopšanas pabalsts" (1014) section by
section without any JSON, creates service 1099 and builds its e-form of three fields in the builder
(a text, a date, a choice in both languages), moves one up and previews it. He prepared the changes,
so he may not publish them: no button, and a forged POST is refused (403) with nothing published.
Edgars, given VSAA's admin role, publishes both after reading the diff; the history names Māris as
preparer and Edgars as approver. Māris finds Edgars's publication in VSAA's audit log, filters it by
the service, downloads it as CSV. A visitor opens 1014's page twice: the statistics show it, with a
chart. A second test feeds the builder bad input: a name already used, a choice without choices, a
number whose minimum is above its maximum. axe finds nothing at 1280, 390 and 320 CSS px on every
page, and nothing scrolls sideways at the narrow widths.

Page text is selected by id, name, data-testid, href or CSS only (the Latvian translations come later).
"""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_CODE = "1099"
MANAGE = "/services/manage"
TEXT_FIELD, DATE_FIELD, CHOICE_FIELD = "child_name", "child_birth_date", "payment_frequency"


def _check(page) -> None:
    _described_by_exists(page)
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        if width < 1280:
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, f"at {width}px {page.url} is {scroll_width}px wide"
        assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _described_by_exists(page) -> None:
    """Every id an aria-describedby names is on the page (axe does not check it): the help and the
    error of a field are read out with it."""
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id))
              .map(id => `${el.id || el.name}: ${id}`))"""
    )
    assert not missing, f"aria-describedby names no element on {page.url}: {missing}"


def _log_out(page) -> None:
    page.context.clear_cookies()


def _submit(page, form: str = "main form[method='post']"):
    """Click the submit button of `form` and return the response of the page it leads to."""
    with page.expect_navigation() as navigation:
        page.click(f"{form} button[type='submit']")
    return navigation.value


def _no_json(page) -> None:
    """An editor page without the e-form's JSON: no such text area, no JSON objects in the text."""
    assert page.locator("textarea[name='eform']").count() == 0
    text = page.locator("main").inner_text()
    assert '{"' not in text and "[{" not in text, f"JSON on {page.url}"


def _service(code: str):
    from catalogue.models import Service

    return Service.objects.get(code=code)


def _add_field(page, code: str, *, kind: str, name: str, label_lv: str, label_en: str, choices: str = ""):
    page.select_option("#id_add-type", kind)
    page.fill("#id_add-name", name)
    page.fill("#id_add-label_lv", label_lv)
    page.fill("#id_add-label_en", label_en)
    page.check("#id_add-required")
    page.fill("#id_add-choices", choices)
    return _submit(page, f"main form[action='{MANAGE}/{code}/eform/']")


def _post_from_page(page, action: str, fields: dict[str, str]):
    """Submit a form made up in the page (as a forged or replayed request would be): the page's CSRF
    token goes with it, so only the view's own rules decide. Returns the response."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([action, fields]) => {
                const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='));
                const form = document.createElement('form');
                form.method = 'post';
                form.action = action;
                const all = {...fields, csrfmiddlewaretoken: token ? token.split('=')[1] : ''};
                for (const [name, value] of Object.entries(all)) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [action, fields],
        )
    return navigation.value


def _give_edgars_publishing_rights(people) -> None:
    """Dace (platform admin) makes Edgars an admin of VSAA, as the register of rights would."""
    from access_rights.services import staff_grant
    from catalogue.models import Agency
    from eaccount.selectors import staff_role_facts_forget
    from kernel.actors import Actor

    staff_grant(
        actor=Actor(user=people["platform_admin"].user),
        personal_code=people["vsaa_staff"].personal_code,
        kind="agency_admin",
        agency=Agency.objects.get(code="VSAA"),
        permanent=True,
    )
    staff_role_facts_forget(user_id=people["vsaa_staff"].user.pk)


def _publish_as_second_admin(page, code: str):
    """On the confirmation page: the box ticked, Publish; lands on the history."""
    page.goto(f"{MANAGE}/{code}/publish/")
    expect(page.locator("#publish-four-eyes")).to_have_attribute("data-four-eyes", "on")
    expect(page.locator("#publish-changes")).to_be_visible()
    expect(page.locator("#id_confirm")).to_be_visible()
    _check(page)
    page.check("#id_confirm")
    response = _submit(page, f"main form[action='{MANAGE}/{code}/publish/']")
    assert response.status == 200
    assert page.url.endswith(f"{MANAGE}/{code}/history/")
    return response


def _history_names_preparer_and_approver(page, preparer: str, approver: str) -> None:
    newest = page.locator("main section[data-kind='version']").first
    expect(newest.locator(".preparers")).to_contain_text(preparer)
    expect(newest.locator(".approver")).to_contain_text(approver)


def test_maris_prepares_with_four_eyes_and_edgars_publishes(page, browser, live_server, login_as, demo_data):
    from audit.models import AuditEvent
    from catalogue.constants import ServiceState
    from catalogue.models import Agency, ServicePageView, ServiceVersion

    people = demo_data
    maris, edgars = people["vsaa_admin"].user, people["vsaa_staff"].user
    maris_name, edgars_name = str(maris), str(edgars)
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "vsaa_admin", means="eid_card")

    # 1. four eyes on for VSAA
    page.goto(f"{MANAGE}/agencies/VSAA/settings/")
    expect(page.locator("#four-eyes-now")).to_have_attribute("data-four-eyes", "off")
    _check(page)
    page.check("#id_four_eyes_publishing")
    response = _submit(page)
    assert response.status == 200
    expect(page.locator("#four-eyes-now")).to_have_attribute("data-four-eyes", "on")
    assert Agency.objects.get(code="VSAA").four_eyes_publishing
    _check(page)

    # 2. 1014 in sections: the overview, the basics (a new English title), the processing time
    service = _service("1014")
    assert service.state == ServiceState.PUBLISHED
    live_title_en, live_days = service.title_en, service.processing_days
    page.goto(f"{MANAGE}/")
    _check(page)
    page.goto(f"{MANAGE}/1014/sections/")
    expect(page.locator("main table[data-testid='editor-sections'] tr[data-section]")).to_have_count(8)
    _no_json(page)
    _check(page)
    page.click(f"main table a[href='{MANAGE}/1014/sections/basics/']")
    expect(page.locator("#id_title_en")).to_be_visible()
    _no_json(page)
    _check(page)
    new_title_en = "Childcare benefit (edited by the agency)"
    page.fill("#id_title_en", new_title_en)
    response = _submit(page, "main form[data-testid='section-form']")
    assert response.status == 200
    assert page.url.endswith(f"{MANAGE}/1014/sections/basics/")
    expect(page.locator("#id_title_en")).to_have_value(new_title_en)
    _no_json(page)
    _check(page)

    new_days = live_days + 5
    page.click(f"main nav a[href='{MANAGE}/1014/sections/processing/']")
    expect(page.locator("#id_processing_days")).to_have_value(str(live_days))
    _no_json(page)
    page.fill("#id_processing_days", str(new_days))
    response = _submit(page, "main form[data-testid='section-form']")
    assert response.status == 200
    expect(page.locator("#id_processing_days")).to_have_value(str(new_days))
    _no_json(page)
    _check(page)
    # a public service: the changes wait, prepared by Māris; the live service is as it was
    service.refresh_from_db()
    assert service.state == ServiceState.PUBLISHED
    assert (service.title_en, service.processing_days) == (live_title_en, live_days)
    assert service.pending["title_en"] == new_title_en and service.pending["processing_days"] == new_days
    assert [p["id"] for p in service.preparers] == [maris.pk]

    # the other sections open without JSON too
    for section in ("channels", "fees", "audience", "accessibility", "legal", "eform"):
        response = page.goto(f"{MANAGE}/1014/sections/{section}/")
        assert response.status == 200, section
        _no_json(page)

    # 3. a new VSAA service, 1099, and its e-form of three fields
    page.goto(f"{MANAGE}/")
    page.click(f"main a[href='{MANAGE}/new/']")
    expect(page.locator("#id_code")).to_be_visible()
    page.fill("#id_code", NEW_CODE)
    page.select_option("#id_agency", "VSAA")
    page.fill("#id_title_lv", "Pabalsts pārbaudei")
    page.fill("#id_title_en", "Benefit for the test")
    page.fill("#id_description_lv", "Pakalpojums, ko izveido pārlūka tests.")
    page.fill("#id_description_en", "A service made by the browser test.")
    page.check("#id_channel_agency")  # on one channel at least; the builder adds the e-service one
    response = _submit(page)
    assert response.status == 200, page.locator("main .error-summary").all_inner_texts()
    assert page.url.endswith(f"{MANAGE}/{NEW_CODE}/preview/")
    new = _service(NEW_CODE)
    assert new.state == ServiceState.DRAFT and new.agency.code == "VSAA"

    page.click(f"main a[href='{MANAGE}/{NEW_CODE}/eform/']")
    expect(page.get_by_test_id("eform-empty")).to_be_visible()
    _check(page)
    for kind, name, label_lv, label_en, choices in (
        ("text", TEXT_FIELD, "Bērna vārds", "Child's name", ""),
        ("date", DATE_FIELD, "Bērna dzimšanas datums", "Child's date of birth", ""),
        (
            "choice",
            CHOICE_FIELD,
            "Izmaksas biežums",
            "How often it is paid",
            "monthly | Katru mēnesi | Every month\nonce | Vienā reizē | At once",
        ),
    ):
        response = _add_field(
            page, NEW_CODE, kind=kind, name=name, label_lv=label_lv, label_en=label_en, choices=choices
        )
        assert response.status == 200, page.locator("main .error-summary").all_inner_texts()
        expect(page.locator(f"#field-{name}")).to_be_visible()
    fields = page.locator("main ol[data-eform-builder-list] > li")
    expect(fields).to_have_count(3)
    _check(page)

    # the choice field one place up
    with page.expect_navigation():
        page.click(f"#field-{CHOICE_FIELD} button[name='direction'][value='up']")
    order = [TEXT_FIELD, CHOICE_FIELD, DATE_FIELD]
    assert [fields.nth(n).get_attribute("data-name") for n in range(3)] == order
    new.refresh_from_db()
    assert [f["name"] for f in new.eform] == order  # a draft changes at once
    choice = next(f for f in new.eform if f["name"] == CHOICE_FIELD)
    assert [(c["value"], c["label_lv"], c["label_en"]) for c in choice["choices"]] == [
        ("monthly", "Katru mēnesi", "Every month"),
        ("once", "Vienā reizē", "At once"),
    ]

    # the live preview: three inputs, in both languages, in the new order
    for language in ("lv", "en"):
        preview = page.get_by_test_id(f"eform-preview-{language}")
        controls = preview.locator("input[name], select[name], textarea[name]")
        names = list(dict.fromkeys(controls.evaluate_all("els => els.map(e => e.name)")))
        assert names == order, (language, names)
        expect(preview.locator(f"input[type='date'][name='{DATE_FIELD}']")).to_have_count(1)
        once = (
            f"select[name='{CHOICE_FIELD}'] option[value='once'], input[name='{CHOICE_FIELD}'][value='once']"
        )
        expect(preview.locator(once)).to_have_count(1)
    _check(page)

    page.click(f"#field-{DATE_FIELD} a[href='{MANAGE}/{NEW_CODE}/eform/{DATE_FIELD}/']")
    expect(page.locator("#id_label_en")).to_have_value("Child's date of birth")
    _check(page)

    page.goto(f"{MANAGE}/{NEW_CODE}/preview/")
    expect(page.locator("main table.eform-preview tbody tr")).to_have_count(3)
    _check(page)

    # 4. four eyes: Māris prepared it, so no publish button; a forged POST is refused, nothing published
    page.goto(f"{MANAGE}/{NEW_CODE}/publish/")
    expect(page.locator("#publish-four-eyes")).to_have_attribute("data-four-eyes", "on")
    expect(page.locator("#publish-not-yours")).to_be_visible()
    expect(page.locator("#id_confirm")).to_have_count(0)
    expect(page.locator(f"main form[action='{MANAGE}/{NEW_CODE}/publish/']")).to_have_count(0)
    expect(page.locator("#publish-preparers")).to_contain_text(maris_name)
    _check(page)
    response = _post_from_page(page, f"{MANAGE}/{NEW_CODE}/publish/", {"confirm": "on"})
    assert response.status == 403
    expect(page.locator("#publish-refused")).to_be_visible()
    expect(page.locator("#id_confirm")).to_have_count(0)
    _check(page)
    new.refresh_from_db()
    assert new.state == ServiceState.DRAFT and new.version in (None, 0)
    assert not ServiceVersion.objects.filter(service=new).exists()
    assert AuditEvent.objects.filter(
        action="catalogue.service.publish_refused", object_id=str(new.pk), actor_id=maris.pk
    ).exists()
    # the same for 1014's pending change
    response = _post_from_page(page, f"{MANAGE}/1014/publish/", {"confirm": "on"})
    assert response.status == 403
    service.refresh_from_db()
    assert service.pending is not None and service.title_en == live_title_en
    _log_out(page)

    # Edgars, made an admin of VSAA, reads the diff and publishes 1099, then 1014
    _give_edgars_publishing_rights(people)
    login_as(page, "vsaa_staff", means="eid_card")
    page.goto(f"{MANAGE}/{NEW_CODE}/publish/")
    expect(page.locator("#publish-preparers")).to_contain_text(maris_name)
    added = page.locator("#publish-changes tr[data-field='eform'] li[data-eform='added'] code")
    expect(added).to_have_count(3)
    assert sorted(added.all_inner_texts()) == sorted(order)
    _publish_as_second_admin(page, NEW_CODE)
    new.refresh_from_db()
    assert new.state == ServiceState.PUBLISHED and new.version == 1
    version = ServiceVersion.objects.get(service=new, number=1)
    assert version.published_by_id == edgars.pk
    assert [p["id"] for p in version.preparers] == [maris.pk]
    assert [f["name"] for f in version.snapshot["eform"]] == order
    _history_names_preparer_and_approver(page, maris_name, edgars_name)
    _check(page)

    page.goto(f"{MANAGE}/1014/publish/")
    expect(page.locator("#publish-changes tr[data-field='title_en']")).to_contain_text(new_title_en)
    expect(page.locator("#publish-changes tr[data-field='processing_days']")).to_be_visible()
    _publish_as_second_admin(page, "1014")
    service.refresh_from_db()
    assert service.pending is None
    assert (service.title_en, service.processing_days) == (new_title_en, new_days)
    latest = ServiceVersion.objects.filter(service=service).order_by("-number").first()
    assert latest.published_by_id == edgars.pk and [p["id"] for p in latest.preparers] == [maris.pk]
    _history_names_preparer_and_approver(page, maris_name, edgars_name)
    _check(page)
    _log_out(page)

    # 5. Māris's audit log: Edgars's publication of 1099, the filter, the CSV
    login_as(page, "vsaa_admin", means="eid_card")
    page.goto(f"{MANAGE}/")
    page.click(f"main nav a[href='{MANAGE}/audit/']")
    table = page.get_by_test_id("audit-log-table")
    expect(table).to_be_visible()
    publication = table.locator("tbody tr[data-action='catalogue.service.publish']").filter(has_text=NEW_CODE)
    expect(publication).to_have_count(1)
    expect(publication.locator("td").nth(1)).to_have_text(edgars_name)
    _check(page)

    page.fill("#id_object", NEW_CODE)
    response = _submit(page, "main form[data-testid='audit-log-filters']")
    assert response.status == 200
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3  # created, its e-form changed, publishing refused, published
    for n in range(rows.count()):
        expect(rows.nth(n)).to_contain_text(NEW_CODE)
    expect(table.locator("tbody tr[data-action='catalogue.service.publish']")).to_have_count(1)
    expect(table.locator("tbody tr[data-action='catalogue.service.publish_refused']")).to_have_count(1)
    _check(page)

    href = page.get_by_test_id("audit-log-csv").get_attribute("href")
    download = page.request.get(f"{MANAGE}/audit/{href}")
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows_csv = list(csv.reader(io.StringIO(download.text().lstrip("\ufeff"))))
    assert len(rows_csv) >= 4
    assert all(NEW_CODE in ",".join(row) for row in rows_csv[1:])
    assert any("catalogue.service.publish" in row and edgars_name in row for row in rows_csv[1:])

    # 6. a visitor opens 1014's page twice; the statistics show it
    views_before = sum(ServicePageView.objects.filter(service=service).values_list("views", flat=True))
    visitor = browser.new_context(base_url=live_server.url, locale="lv-LV")
    visitor.set_default_timeout(20_000)
    try:
        visitor_page = visitor.new_page()
        for _ in range(2):
            assert visitor_page.goto("/services/1014/").status == 200
        assert not [c for c in visitor.cookies() if c["name"] not in ("csrftoken",)], visitor.cookies()
    finally:
        visitor.close()
    views = sum(ServicePageView.objects.filter(service=service).values_list("views", flat=True))
    assert views - views_before == 2

    page.goto(f"{MANAGE}/")
    page.click(f"main nav a[href='{MANAGE}/statistics/']")
    row = page.locator("#per-service-table tbody tr[data-service='1014']")
    expect(row).to_be_visible()
    assert int(row.locator("td").last.inner_text()) >= 2
    expect(page.locator("#per-day .chart-figure svg")).to_have_count(1)
    _check(page)


def test_the_builder_refuses_bad_input_next_to_the_field(page, login_as, demo_data):
    from catalogue.services import eform_builder

    page.set_viewport_size({"width": 1280, "height": 800})
    service = _service("1014")
    existing = eform_builder.eform_working(service=service)
    assert existing, "1014 has an e-form in the pilot catalogue"
    taken = existing[0]["name"]  # a name already used
    login_as(page, "vsaa_admin", means="eid_card")
    page.goto(f"{MANAGE}/1014/eform/")
    _check(page)
    personal_code = next(f["name"] for f in existing if f["type"] == "personal_code")
    page.goto(f"{MANAGE}/1014/eform/{personal_code}/")  # "the person the case is about" has help
    expect(page.locator("#id_case_subject")).to_be_visible()
    _check(page)
    page.goto(f"{MANAGE}/1014/eform/")

    # a name already used
    response = _add_field(page, "1014", kind="text", name=taken, label_lv="Vēl viens", label_en="Another one")
    assert response.status == 422
    expect(page.locator("#id_add-name_error")).to_be_visible()
    expect(page.locator("#id_add-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main .error-summary a[href='#id_add-name']")).to_have_count(1)
    expect(page.locator("#id_add-label_en")).to_have_value("Another one")  # what was typed stays
    _check(page)

    # a choice field without choices
    response = _add_field(
        page, "1014", kind="choice", name="payment_frequency", label_lv="Biežums", label_en="How often"
    )
    assert response.status == 422
    expect(page.locator("#id_add-choices_error")).to_be_visible()
    _check(page)
    service.refresh_from_db()
    assert [f["name"] for f in eform_builder.eform_working(service=service)] == [f["name"] for f in existing]

    # a number whose smallest value is above its largest (on the field's edit page)
    response = _add_field(
        page, "1014", kind="number", name="children", label_lv="Bērnu skaits", label_en="Children"
    )
    assert response.status == 200
    page.click(f"#field-children a[href='{MANAGE}/1014/eform/children/']")
    expect(page.locator("#id_min")).to_be_visible()
    page.fill("#id_min", "10")
    page.fill("#id_max", "5")
    response = _submit(page)
    assert response.status == 422
    expect(page.locator("#id_min_error, #id_max_error").first).to_be_visible()
    expect(page.locator("main .error-summary")).to_be_visible()
    _check(page)
    service.refresh_from_db()
    children = next(f for f in eform_builder.eform_working(service=service) if f["name"] == "children")
    assert children.get("min") is None and children.get("max") is None
