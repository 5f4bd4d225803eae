"""Access rights (Reg. 401 point 22, Annex 2) in a real browser, with the demo people: Rita, VSAA's
authorised person, asks the ministry for admin-level rights for Māris with a signed .asice; Dace (the
ministry) approves; Māris grants Edgars a staff role for three months, and revokes it while Edgars is
logged in elsewhere: Edgars's next click no longer opens the agency's cases. The register shows the
revocation, its history every change, its CSV the personal codes. Dace refuses another request, and
first gets the error for a missing reason. axe finds nothing at 1280 and 320 CSS px on every page, and
nothing scrolls sideways at 320.

Page text is selected by id, name, data-testid or CSS only (the Latvian translations come later)."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, login_through_demo_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def _without_demo_roles(*keys: str, people) -> None:
    """Revoke the demo roles of these people (as if they had never had them): they start without rights."""
    from eaccount.models import StaffRole
    from eaccount.selectors import staff_role_facts_forget

    for key in keys:
        user = people[key].user
        assert StaffRole.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        staff_role_facts_forget(user_id=user.pk)


def _valid_code(person) -> str:
    """The person's personal code, which the pages' look-ups must accept (fail clearly if they won't)."""
    from django.core.exceptions import ValidationError

    from kernel.identifiers import normalise_personal_code

    try:
        normalise_personal_code(person.personal_code)
    except ValidationError:
        pytest.fail(f"the demo personal code of {person} ({person.personal_code}) is not a valid one")
    return person.personal_code


def _vsaa():
    from catalogue.models import Agency

    return Agency.objects.get(code="VSAA")


def _page_label(choice) -> str:
    """A choice's label as the pages show it (in Latvian, whatever the translations say)."""
    with translation.override("lv"):
        return str(choice.label)


def _log_out(page) -> None:
    page.context.clear_cookies()


def _submit(page):
    """Click the main form's submit button and return the page's response."""
    with page.expect_navigation() as navigation:
        page.click("main form[method='post'] button[type='submit']")
    return navigation.value


def _fill_request_for_maris(page, vsaa, maris_code: str) -> None:
    page.select_option("#id_scope", f"agency:{vsaa.pk}")
    page.select_option("#id_entries-0-action", "grant")
    page.select_option("#id_entries-0-kind", "agency_admin")
    page.fill("#id_entries-0-personal_code", maris_code)
    page.fill("#id_entries-0-position", "Nodaļas vadītājs")
    page.fill("#id_entries-0-email", "maris.liepa@vsaa.example.lv")
    page.fill("#id_entries-0-phone", "+371 20000001")
    page.fill("#id_entries-0-valid_until", "2027-12-31")
    page.fill("#id_note", "Jaunais VSAA administrators")


def test_rights_are_requested_approved_granted_revoked_and_registered(
    page, browser, live_server, login_as, demo_data, tmp_path
):
    from access_rights.constants import AccessRequestStatus
    from access_rights.models import AccessRequest
    from access_rights.tests.signed_samples import asice_bytes
    from audit.models import AuditEvent
    from eaccount.models import StaffRole

    people = demo_data
    _without_demo_roles("vsaa_admin", "vsaa_staff", people=people)
    maris, edgars = people["vsaa_admin"].user, people["vsaa_staff"].user
    maris_code, edgars_code = _valid_code(people["vsaa_admin"]), _valid_code(people["vsaa_staff"])
    vsaa = _vsaa()
    document = tmp_path / "pieprasijums.asice"
    document.write_bytes(asice_bytes())
    page.set_viewport_size({"width": 1280, "height": 800})

    # 1. Rita (VSAA's authorised person) asks the ministry for agency_admin for Māris
    login_as(page, "vsaa_authorised", means="eid_card")
    page.goto("/")
    page.get_by_test_id("nav-access-rights").first.click()
    expect(page).to_have_url(f"{live_server.url}/rights/")
    _check(page)
    page.click("main nav a[href='/rights/requests/']")
    expect(page).to_have_url(f"{live_server.url}/rights/requests/")
    _check(page)
    page.click("main a.button[href='/rights/requests/new/']")
    expect(page.locator("#id_entries-0-personal_code")).to_be_visible()
    _check(page)

    _fill_request_for_maris(page, vsaa, maris_code)
    response = _submit(page)  # no signed document yet
    assert response.status == 422
    expect(page.locator("main .error-summary")).to_be_visible()
    expect(page.locator("#id_document_error")).to_be_visible()
    assert not AccessRequest.objects.exists()
    _check(page)

    # the other fields kept what was typed; the file must be chosen again
    expect(page.locator("#id_entries-0-personal_code")).to_have_value(maris_code)
    expect(page.locator("#id_entries-0-valid_until")).to_have_value("2027-12-31")
    page.set_input_files("#id_document", str(document))
    response = _submit(page)
    assert response.status == 200
    request = AccessRequest.objects.get()
    expect(page).to_have_url(f"{live_server.url}/rights/requests/{request.pk}/")
    assert request.status == AccessRequestStatus.PENDING
    assert request.agency_id == vsaa.pk and request.document_kind == "asice"
    entry = request.entries.get()
    assert (entry.person_id, entry.kind, entry.valid_until) == (
        people["vsaa_admin"].pk,
        "agency_admin",
        datetime.date(2027, 12, 31),
    )
    expect(page.get_by_test_id("request-status")).to_contain_text(_page_label(AccessRequestStatus.PENDING))
    pending_text = page.get_by_test_id("request-status").inner_text()
    # the requester may not decide her own request
    assert page.locator("main form[action$='/approve/']").count() == 0
    _check(page)
    _log_out(page)

    # 2. Dace (the ministry) opens it from the list and approves
    login_as(page, "platform_admin", means="eid_card")
    page.goto("/rights/requests/")
    page.get_by_test_id(f"request-{request.pk}").locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/rights/requests/{request.pk}/")
    expect(page.locator("main form[action$='/approve/']")).to_be_visible()
    _check(page)
    with page.expect_navigation():
        page.click("main form[action$='/approve/'] button[type='submit']")
    expect(page).to_have_url(f"{live_server.url}/rights/requests/{request.pk}/")
    expect(page.get_by_test_id("request-status")).not_to_have_text(pending_text)
    expect(page.get_by_test_id("request-status")).to_contain_text(_page_label(AccessRequestStatus.APPROVED))
    expect(page.locator("main form[action$='/approve/']")).to_have_count(0)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED
    assert request.decided_by_id == people["platform_admin"].user.pk
    maris_role = StaffRole.objects.active().get(user=maris, kind="agency_admin", agency=vsaa)
    # "until 31.12.2027" holds through that day: it ends at the next midnight, Riga time
    assert maris_role.valid_until == datetime.datetime(2028, 1, 1, tzinfo=ZoneInfo("Europe/Riga"))
    assert not maris_role.permanent and maris_role.granted_by_id == people["platform_admin"].user.pk
    _check(page)
    _log_out(page)

    # 3. Māris grants Edgars agency_staff for about three months
    until = timezone.localdate() + datetime.timedelta(days=91)
    login_as(page, "vsaa_admin", means="eid_card")
    page.goto("/")
    page.get_by_test_id("nav-access-rights").first.click()
    page.click("main nav a[href='/rights/staff/']")
    expect(page.locator("#id_personal_code")).to_be_visible()
    _check(page)
    page.fill("#id_personal_code", edgars_code)
    page.select_option("#id_kind", "agency_staff")
    page.fill("#id_valid_until", until.isoformat())
    with page.expect_navigation():
        page.click("main form[method='post']:has(#id_personal_code) button[type='submit']")
    edgars_role = StaffRole.objects.active().get(user=edgars, kind="agency_staff", agency=vsaa)
    assert edgars_role.granted_by_id == maris.pk and not edgars_role.permanent
    assert timezone.localtime(edgars_role.valid_until).date() == until + datetime.timedelta(days=1)
    card = page.get_by_test_id(f"role-{edgars_role.pk}")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Edgars")
    _check(page)

    # 4. Edgars, in another browser, opens the agency's cases; Māris revokes; Edgars's next click: 404
    other = browser.new_context(base_url=live_server.url, locale="lv-LV")
    other.set_default_timeout(20_000)
    try:
        edgars_page = other.new_page()
        login_through_demo_page(edgars_page, people["vsaa_staff"], means="eid_card")
        response = edgars_page.goto("/cases/agency/")
        assert response.status == 200
        expect(edgars_page.locator("main h1")).to_be_visible()

        page.fill(f"#reason-{edgars_role.pk}", "Pārcelts uz citu nodaļu")
        with page.expect_navigation():
            card.locator("button[type='submit']").click()
        expect(page.get_by_test_id(f"role-{edgars_role.pk}")).to_have_count(0)
        edgars_role.refresh_from_db()
        assert edgars_role.revoked_at is not None

        response = edgars_page.reload()
        assert response.status == 404
        assert edgars_page.locator("main table, main [data-testid^='case-']").count() == 0
        # still logged in: not sent to the login page
        assert "/account/login/" not in edgars_page.url
    finally:
        other.close()

    # 5. the register: Edgars's role revoked, Māris's in force; its history; the review page
    page.click("main nav a[href='/rights/register/']")
    expect(page).to_have_url(f"{live_server.url}/rights/register/")
    edgars_row = page.get_by_test_id(f"register-{edgars_role.pk}")
    maris_row = page.get_by_test_id(f"register-{maris_role.pk}")
    expect(edgars_row).to_be_visible()
    expect(maris_row).to_be_visible()
    expect(maris_row.locator("td").last).not_to_have_text(edgars_row.locator("td").last.inner_text())
    expect(maris_row).to_contain_text(request.number)  # granted on the request
    _check(page)
    # VSAA's roles in force only: Edgars's is gone, Māris's stays
    page.select_option("#id_scope", f"agency:{vsaa.pk}")
    page.check("#id_current")
    with page.expect_navigation():
        page.click("main form.filters button[type='submit']")
    expect(page.get_by_test_id(f"register-{edgars_role.pk}")).to_have_count(0)
    expect(page.get_by_test_id(f"register-{maris_role.pk}")).to_be_visible()
    page.goto("/rights/register/")

    # 6. the CSV has Edgars's personal code
    href = page.locator("main a[href*='format=csv']").get_attribute("href")
    download = page.request.get(f"/rights/register/{href}")
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text().lstrip("\ufeff"))))
    codes = [row[1] for row in rows[1:]]
    assert edgars_code in codes and maris_code in codes

    page.click("main a[href^='/rights/register/history/']")
    expect(page).to_have_url(f"{live_server.url}/rights/register/history/")
    history = page.locator("main table tbody tr")
    role_events = AuditEvent.objects.filter(
        object_type="eaccount.staffrole", object_id__in=[str(edgars_role.pk), str(maris_role.pk)]
    )
    assert sorted(role_events.values_list("object_id", "action")) == sorted(
        [
            (str(maris_role.pk), "role.grant"),
            (str(edgars_role.pk), "role.grant"),
            (str(edgars_role.pk), "role.revoke"),
        ]
    )
    edgars_rows = history.filter(has_text="Edgars Zariņš")
    expect(edgars_rows).to_have_count(2)  # granted, then revoked: both by Māris
    for n in range(2):
        expect(edgars_rows.nth(n).locator("td").nth(3)).to_have_text("Māris Liepa")
    expect(edgars_rows.first.locator("td").nth(4)).to_have_text("Pārcelts uz citu nodaļu")  # newest first
    maris_rows = history.filter(has_text="Dace Vītola")
    expect(maris_rows).to_have_count(1)
    expect(maris_rows.locator("td").nth(2)).to_contain_text("Māris Liepa")
    _check(page)

    page.click("main nav a[href='/rights/review/']")
    expect(page).to_have_url(f"{live_server.url}/rights/review/")
    _check(page)


def test_dace_refuses_a_request_and_must_say_why(page, live_server, login_as, demo_data):
    from access_rights import services
    from access_rights.constants import AccessRequestStatus
    from access_rights.services import EntryData
    from access_rights.tests.signed_samples import asice_bytes, upload
    from kernel.actors import Actor

    people = demo_data
    _without_demo_roles("vsaa_admin", people=people)
    request = services.access_request_submit(
        actor=Actor(user=people["vsaa_authorised"].user),
        agency=_vsaa(),
        entries=[
            EntryData(
                action="grant",
                kind="agency_admin",
                personal_code=_valid_code(people["vsaa_admin"]),
                position="Nodaļas vadītājs",
                permanent=True,
            )
        ],
        document=upload("pieprasijums.asice", asice_bytes()),
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, "platform_admin", means="eid_card")
    page.goto(f"/rights/requests/{request.pk}/")
    pending_text = page.get_by_test_id("request-status").inner_text()

    # no reason: the error, on the same page, with the decision still open
    with page.expect_navigation() as navigation:
        page.click("main form[action$='/refuse/'] button[type='submit']")
    assert navigation.value.status == 422
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("request-status")).to_have_text(pending_text)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    _check(page)

    page.fill("#id_reason", "Pieprasījums nav parakstīts ar laika zīmogu.")
    with page.expect_navigation() as navigation:
        page.click("main form[action$='/refuse/'] button[type='submit']")
    assert navigation.value.status == 200
    expect(page).to_have_url(f"{live_server.url}/rights/requests/{request.pk}/")
    expect(page.get_by_test_id("request-status")).not_to_have_text(pending_text)
    expect(page.get_by_test_id("request-status")).to_contain_text(_page_label(AccessRequestStatus.REFUSED))
    expect(page.locator("main")).to_contain_text("Pieprasījums nav parakstīts ar laika zīmogu.")
    expect(page.locator("main form[action$='/refuse/']")).to_have_count(0)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.REFUSED
    assert request.refusal_reason == "Pieprasījums nav parakstīts ar laika zīmogu."
    assert not people["vsaa_admin"].user.staff_roles.filter(revoked_at__isnull=True).exists()
    _check(page)
