"""The service editor in sections: the publishing checklist's rules, the section pages (each saving only
its own snapshot keys, errors next to their fields), who may open them, and Māris editing "Bērna
kopšanas pabalsts" (1014) section by section without touching JSON."""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms import CheckboxInput
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from catalogue import services
from catalogue.constants import ServiceState
from catalogue.forms_sections import SECTION_FORMS
from catalogue.models import Service, ServiceVersion
from catalogue.selectors import checklist
from kernel.actors import Actor

SECTIONS = list(checklist.SECTIONS)
FORM_SECTIONS = [s for s in SECTIONS if s != checklist.EFORM]

# --- the checklist: one test per rule ----------------------------------------------------------------

COMPLETE = {
    "code": "7001",
    "title_lv": "Pabalsts",
    "title_en": "Benefit",
    "description_lv": "Apraksts",
    "description_en": "Description",
    "category": "family-and-children",
    "agency": "VSAA",
    "audience": "person",
    "fee_eur": None,
    "payment_mode": "none",
    "processing_days": 10,
    "authorised_filing_allowed": True,
    "delegable": True,
    "facet_multichannel": True,
    "channels": {
        "e_service": {"instructions_lv": "", "instructions_en": "", "centres": []},
        "vpvkac": {"instructions_lv": "", "instructions_en": "", "centres": ["VPVKAC-RIGA"]},
    },
    "life_events": ["child_birth"],
    "legal_basis": [{"title": "Likums", "url": ""}],
    "eform": [{"name": "x", "type": "text", "label_lv": "X", "label_en": "X"}],
}

# (what changes, the rule that then reports it, the section it names)
RULE_CASES = [
    ({"title_lv": "  "}, "title_lv", "basics"),
    ({"title_en": ""}, "title_en", "basics"),
    ({"description_lv": ""}, "description_lv", "basics"),
    ({"description_en": None}, "description_en", "basics"),
    ({"category": None}, "category", "basics"),
    (
        {"channels": {}, "eform": [], "authorised_filing_allowed": False, "facet_multichannel": False},
        "some_channel",
        "channels",
    ),
    (
        {"channels": {**COMPLETE["channels"], "vpvkac": {"instructions_lv": "", "centres": []}}},
        "centres_of_the_centre_channel",
        "channels",
    ),
    (
        {"channels": {"vpvkac": COMPLETE["channels"]["vpvkac"], "agency": {"centres": []}}},
        "eform_has_its_channel",
        "channels",
    ),
    ({"fee_eur": "4.27", "payment_mode": "none"}, "fee_has_a_payment_mode", "fees"),
    ({"fee_eur": None, "payment_mode": "prepayment"}, "payment_mode_has_a_fee", "fees"),
    ({"fee_eur": "0.00", "payment_mode": "postpayment"}, "payment_mode_has_a_fee", "fees"),
    ({"processing_days": 0}, "processing_time", "processing"),
    ({"processing_days": None}, "processing_time", "processing"),
    (
        {"eform": [], "channels": {"vpvkac": COMPLETE["channels"]["vpvkac"], "agency": {}}},
        "authorised_filing_has_an_eform",
        "audience",
    ),
    ({"audience": "organisation"}, "authorised_filing_for_persons", "audience"),
    ({"channels": {"e_service": COMPLETE["channels"]["e_service"]}}, "multichannel_facet", "accessibility"),
    ({"legal_basis": []}, "legal_basis", "legal"),
    ({"legal_basis": [{"title": " ", "url": "https://likumi.lv"}]}, "legal_basis", "legal"),
    (
        {"eform": [], "authorised_filing_allowed": False},
        "e_service_channel_has_an_eform",
        "eform",
    ),
]


def test_a_complete_service_has_nothing_missing():
    assert checklist.service_publish_checklist(COMPLETE) == []


@pytest.mark.parametrize("change, rule, section", RULE_CASES)
def test_each_rule_reports_what_is_missing_in_its_section(change, rule, section):
    items = checklist.service_publish_checklist({**COMPLETE, **change})

    assert [(i.rule, i.section) for i in items] == [(rule, section)]
    assert items[0].message


@pytest.mark.parametrize(
    "snapshot",
    [
        {**COMPLETE, "fee_eur": "4.27", "payment_mode": "prepayment"},  # a fee with a payment mode
        {**COMPLETE, "authorised_filing_allowed": False, "audience": "organisation"},
        {
            **COMPLETE,
            "eform": [],
            "authorised_filing_allowed": False,
            "channels": {"agency": {"centres": []}, "post": {}},  # no centre channel: no centres needed
        },
        {**COMPLETE, "facet_multichannel": False, "channels": {"e_service": {"centres": []}}},
    ],
)
def test_rules_stay_quiet_when_the_service_agrees_with_them(snapshot):
    assert checklist.service_publish_checklist(snapshot) == []


def test_the_checklist_follows_the_editors_order_of_sections():
    items = checklist.service_publish_checklist({})

    order = [checklist.SECTIONS.index(i.section) for i in items]
    assert order == sorted(order)
    assert {i.rule for i in items} >= {"title_lv", "some_channel", "processing_time", "legal_basis"}
    assert list(checklist.checklist_by_section(items)) == list(checklist.SECTIONS)


# --- helpers -----------------------------------------------------------------------------------------


def _post_data(form) -> dict:
    """A section form's current values as a browser posts them back (with the legal acts' rows)."""
    forms = [form]
    if hasattr(form, "acts"):
        forms += [form.acts.management_form, *form.acts.forms]
    data: dict = {}
    for f in forms:
        for bound in f:
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = list(value)
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def _url(code: str, section: str | None = None) -> str:
    return f"/services/manage/{code}/sections/" + (f"{section}/" if section else "")


def _section_data(client, code: str, section: str) -> dict:
    response = client.get(_url(code, section))
    assert response.status_code == 200
    return _post_data(response.context["form"])


def state_of(code: str):
    service = Service.objects.get(code=code)
    return (
        services.service_working_snapshot(service=service),
        services.service_snapshot(service=service),
        service.state,
        service.pending,
        ServiceVersion.objects.filter(service=service).count(),
        AuditEvent.objects.filter(action__startswith="catalogue.").count(),
    )


# --- Māris edits 1014 section by section -------------------------------------------------------------

CHANGES = {
    "basics": {
        "description_lv": "Pabalsts par bērna kopšanu līdz pusotra gada vecumam.",
        "description_en": "A benefit for caring for a child up to the age of one and a half.",
    },
    "channels": {"channel_agency_instructions_en": "Visit any VSAA client service office."},
    "fees": {"fee_eur": "", "payment_mode": "none"},
    "processing": {"processing_days": "20"},
    "audience": {"minor_may_be_client": "on"},
    "accessibility": {"facet_cross_border": "on", "facet_cross_border_note": "Arī ES pilsoņiem."},
    "legal": {
        "acts-0-title": "Valsts sociālo pabalstu likums",
        "acts-0-url": "https://likumi.lv/ta/id/68483",
        "acts-1-title": "MK noteikumi Nr. 1373",
    },
}


@pytest.mark.django_db
def test_maris_edits_bernas_kopsanas_pabalsts_section_by_section_without_json(login, people):
    client = login(people["vsaa_admin"])  # Māris, VSAA's admin
    live_before = services.service_snapshot(service=Service.objects.get(code="1014"))
    overview = client.get(_url("1014"))
    assert overview.status_code == 200
    missing = {i["rule"] for i in overview.context["checklist"]}
    assert {"description_lv", "description_en", "legal_basis"} <= missing

    for section in FORM_SECTIONS:
        page = client.get(_url("1014", section))
        assert page.status_code == 200
        assert "json" not in page.content.decode().lower()
        data = {**_post_data(page.context["form"]), **CHANGES[section]}

        response = client.post(_url("1014", section), data)

        assert response.status_code == 302, response.context["form"].errors if response.context else ""
        assert response["Location"] == _url("1014", section)
        assert client.get(_url("1014", section)).status_code == 200

    eform_page = client.get(_url("1014", "eform"))
    assert eform_page.status_code == 200
    assert len(eform_page.context["eform"]) == 4

    service = Service.objects.get(code="1014")
    assert services.service_snapshot(service=service) == live_before  # public only once published
    pending = service.pending
    assert pending["description_en"].startswith("A benefit")
    assert pending["channels"]["agency"]["instructions_en"] == "Visit any VSAA client service office."
    assert pending["channels"]["vpvkac"]["centres"] == live_before["channels"]["vpvkac"]["centres"]
    assert pending["processing_days"] == 20
    assert pending["minor_may_be_client"] is True
    assert pending["facet_cross_border"] is True and pending["facet_cross_border_note"] == "Arī ES pilsoņiem."
    assert pending["legal_basis"] == [
        {"title": "Valsts sociālo pabalstu likums", "url": "https://likumi.lv/ta/id/68483"},
        {"title": "MK noteikumi Nr. 1373", "url": ""},
    ]
    assert pending["eform"] == live_before["eform"]
    assert checklist.service_publish_checklist(pending) == []
    overview = client.get(_url("1014"))
    assert overview.context["checklist"] == []
    assert all(s["complete"] for s in overview.context["sections"])
    assert 'data-testid="checklist-complete"' in overview.content.decode()

    services.service_publish(actor=Actor(user=people["vsaa_admin"]), service=service)
    service.refresh_from_db()
    assert service.pending is None and service.version == 2
    assert service.description_en.startswith("A benefit") and service.processing_days == 20


# --- each save: only its own keys, messages, errors next to fields ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("section", FORM_SECTIONS)
def test_each_section_saves_only_its_own_snapshot_keys(login, people, section):
    client = login(people["vsaa_admin"])
    data = _section_data(client, "1014", section)
    # what the section's form gives the service to save, from the very data the page posts
    form = SECTION_FORMS[section](
        data, snapshot=services.service_working_snapshot(service=Service.objects.get(code="1014"))
    )
    assert form.is_valid()
    seen = [set(form.to_fields())]

    assert client.post(_url("1014", section), data).status_code == 302

    expected = {
        "basics": {"title_lv", "title_en", "description_lv", "description_en", "category"},
        "channels": {"channels"},
        "fees": {"fee_eur", "payment_mode"},
        "processing": {"processing_days"},
        "audience": {
            "audience",
            "delegable",
            "authorised_filing_allowed",
            "one_open_case_per_subject",
            "minor_may_be_client",
            "internal",
            "municipality_specific",
        },
        "accessibility": {
            "facet_multichannel",
            "facet_multichannel_note",
            "facet_territorial",
            "facet_territorial_note",
            "facet_all_groups",
            "facet_all_groups_note",
            "facet_cross_border",
            "facet_cross_border_note",
        },
        "legal": {"life_events", "legal_basis"},
    }[section]
    assert seen == [expected]
    # saved as it was: nothing changed, so no pending changes either
    assert Service.objects.get(code="1014").pending is None


@pytest.mark.django_db
def test_a_platform_admin_also_chooses_the_holder_agency(login, people):
    client = login(people["platform_admin"])
    form = client.get(_url("1014", "basics")).context["form"]
    assert "agency" in form.fields and form.initial["agency"] == "VSAA"
    assert "agency" not in login(people["vsaa_admin"]).get(_url("1014", "basics")).context["form"].fields

    client = login(people["platform_admin"])
    data = {**_section_data(client, "1014", "basics"), "agency": "NVA"}
    assert client.post(_url("1014", "basics"), data).status_code == 302
    assert Service.objects.get(code="1014").pending["agency"] == "NVA"


@pytest.mark.django_db
def test_an_agency_admin_cannot_post_another_agency_as_the_holder(login, people):
    client = login(people["vsaa_admin"])
    data = {**_section_data(client, "1014", "basics"), "agency": "PMLP", "title_en": "Changed"}

    assert client.post(_url("1014", "basics"), data).status_code == 302  # the field is not there
    assert Service.objects.get(code="1014").pending["agency"] == "VSAA"


@pytest.mark.django_db
def test_messages_say_whether_the_change_is_public_once_published(login, people):
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    data = {**_section_data(client, "1014", "processing"), "processing_days": "15"}
    page = client.post(_url("1014", "processing"), data, follow=True).content.decode()
    assert "They are public only once you publish them." in page

    Service.objects.filter(code="1014").update(state=ServiceState.DRAFT)
    data = {**_section_data(client, "1014", "processing"), "processing_days": "16"}
    page = client.post(_url("1014", "processing"), data, follow=True).content.decode()
    assert "The draft was saved." in page
    assert Service.objects.get(code="1014").processing_days == 16  # a draft changes at once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section, change, field",
    [
        ("fees", {"fee_eur": "4.27", "payment_mode": "none"}, "payment_mode"),  # the service's rule
        ("fees", {"fee_eur": "", "payment_mode": "prepayment"}, "fee_eur"),
        ("fees", {"fee_eur": "-1"}, "fee_eur"),  # the form's own limit
        ("processing", {"processing_days": "4000"}, "processing_days"),
        ("basics", {"title_lv": ""}, "title_lv"),
        ("basics", {"category": "no-such-category"}, "category"),
        ("channels", {"channel_e_service": ""}, "channel_e_service"),  # 1014 has an e-form
        ("legal", {"life_events": ["no-such-event"]}, "life_events"),
    ],
)
def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(login, people, section, change, field):
    client = login(people["vsaa_admin"])
    before = state_of("1014")
    data = {**_section_data(client, "1014", section), **change}
    data = {k: v for k, v in data.items() if v != ""}

    response = client.post(_url("1014", section), data)

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert state_of("1014") == before


@pytest.mark.django_db
def test_a_channel_with_no_channel_left_is_refused_at_the_channels(login, people):
    client = login(people["vsaa_admin"])
    data = {
        k: v for k, v in _section_data(client, "1010", "channels").items() if not k.startswith("channel_")
    }
    data = {k: v for k, v in data.items() if not k.endswith("_instructions_lv")}

    response = client.post(_url("1010", "channels"), data)

    assert response.status_code == 422
    assert response.context["form"].non_field_errors()
    assert 'id="channels_error"' in response.content.decode()


@pytest.mark.django_db
def test_legal_acts_are_rows_with_errors_on_the_row(login, people):
    client = login(people["vsaa_admin"])
    data = {
        **_section_data(client, "1014", "legal"),
        "acts-0-title": "",
        "acts-0-url": "https://likumi.lv/ta/id/1",
        "acts-1-title": "Likums",
        "acts-1-url": "not an address",
    }

    response = client.post(_url("1014", "legal"), data)

    assert response.status_code == 422
    acts = response.context["form"].acts
    assert acts.forms[0].errors["title"] and acts.forms[1].errors["url"]
    assert Service.objects.get(code="1014").pending is None


@pytest.mark.django_db
def test_a_legal_act_is_removed_with_its_checkbox(login, people):
    client = login(people["vsaa_admin"])
    data = {**_section_data(client, "1011", "legal")}
    assert data["acts-0-title"]  # 1011 has one act in the pilot catalogue
    data.update({"acts-0-DELETE": "on", "acts-1-title": "Jauns likums", "acts-1-url": "https://likumi.lv/x"})

    assert client.post(_url("1011", "legal"), data).status_code == 302

    assert Service.objects.get(code="1011").pending["legal_basis"] == [
        {"title": "Jauns likums", "url": "https://likumi.lv/x"}
    ]


@pytest.mark.django_db
def test_the_centres_of_the_centre_channel_are_checkboxes(login, people):
    client = login(people["vsaa_admin"])
    data = _section_data(client, "1014", "channels")
    all_centres = data["channel_vpvkac_centres"]
    assert len(all_centres) == 3
    data["channel_vpvkac_centres"] = all_centres[:1]
    data["channel_phone"] = "on"

    assert client.post(_url("1014", "channels"), data).status_code == 302

    channels = Service.objects.get(code="1014").pending["channels"]
    assert channels["vpvkac"]["centres"] == all_centres[:1]
    assert set(channels) == {"e_service", "vpvkac", "agency", "post", "phone"}


@pytest.mark.django_db
def test_a_hostile_title_is_escaped_on_the_editor_pages(login, people):
    client = login(people["vsaa_admin"])
    data = {**_section_data(client, "1014", "basics"), "title_lv": '<script>alert("x")</script>'}
    assert client.post(_url("1014", "basics"), data).status_code == 302

    for url in (_url("1014"), _url("1014", "basics")):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page


@pytest.mark.django_db
def test_the_eform_section_summarises_and_links_to_the_builder_when_it_exists(login, people):
    from django.urls import reverse

    client = login(people["vsaa_admin"])

    response = client.get(_url("1014", "eform"))

    assert response.status_code == 200
    assert 'data-testid="eform-summary"' in response.content.decode()
    builder = reverse("catalogue:eform-builder", kwargs={"code": "1014"})
    assert response.context["eform_builder_url"] == builder
    assert client.post(_url("1014", "eform"), {}).status_code == 405


# --- the overview: sections and checklist, the same on every page; fixed queries -----------------------------


@pytest.mark.django_db
def test_the_overview_and_every_section_show_the_same_checklist(login, people):
    client = login(people["vsaa_admin"])
    overview = client.get(_url("1014"))
    expected = overview.context["checklist"]
    assert {i["rule"] for i in expected} == {"description_lv", "description_en", "legal_basis"}
    states = {s["code"]: s["complete"] for s in overview.context["sections"]}
    assert states == {s: s not in ("basics", "legal") for s in SECTIONS}
    assert 'data-section="basics" data-complete="false"' in overview.content.decode()

    for section in SECTIONS:
        page = client.get(_url("1014", section))
        assert page.context["checklist"] == expected
        assert 'data-testid="checklist"' in page.content.decode()


OVERVIEW_QUERIES = 5  # the user, the service, its life events, its channels, their centres


@pytest.mark.django_db
def test_the_overview_runs_a_fixed_number_of_queries(login, people, django_assert_num_queries):
    client = login(people["vsaa_admin"])
    client.get(_url("1014"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("1014")).status_code == 200
    with django_assert_num_queries(len(queries.captured_queries)):
        assert client.get(_url("1010")).status_code == 200  # fewer channels, no e-form: as many queries
    assert len(queries.captured_queries) == OVERVIEW_QUERIES


# --- who may open the editor ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pmlp_admin", "vsaa_staff", "citizen"])
def test_another_agencys_service_is_not_found_and_a_post_changes_nothing(login, people, who):
    admin = login(people["vsaa_admin"])
    posts = {section: _section_data(admin, "1014", section) for section in FORM_SECTIONS}
    posts["basics"]["title_lv"] = "Uzlauzts"
    before = state_of("1014")
    client = login(people[who])

    assert client.get(_url("1014")).status_code == 404
    for section in SECTIONS:
        assert client.get(_url("1014", section)).status_code == 404
    for section, data in posts.items():
        assert client.post(_url("1014", section), data).status_code == 404, section
    assert state_of("1014") == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(login):
    client = login(None)
    for url in (_url("1014"), _url("1014", "basics")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(_url("1014", "basics"), {"title_lv": "X"}).status_code == 302


@pytest.mark.django_db
def test_an_unknown_section_or_code_is_not_found(login, people):
    client = login(people["vsaa_admin"])
    assert client.get(_url("1014", "nothing")).status_code == 404
    assert client.get(_url("9999")).status_code == 404
    assert client.get(_url("9999", "basics")).status_code == 404
