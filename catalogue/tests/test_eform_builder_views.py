"""The e-form builder's pages: the builder (fields in order, their actions, the add form, the live
preview), the page of one field, the POSTs that move and remove, who may open them (404 for another
agency's service, on GET and POST, changing nothing), escaping, and the builder's fixed query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import services
from catalogue.models import Service
from catalogue.services import eform_builder
from kernel.actors import Actor

pytestmark = pytest.mark.django_db

CODE = "1014"
BUILDER = f"/services/manage/{CODE}/eform/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def builder_url(code=CODE):
    return reverse("catalogue:eform-builder", kwargs={"code": code})


def field_url(name, code=CODE, action=""):
    url_name = {"": "catalogue:eform-field-edit", "move": "catalogue:eform-field-move"}.get(
        action, "catalogue:eform-field-remove"
    )
    return reverse(url_name, kwargs={"code": code, "name": name})


def working(code=CODE):
    return eform_builder.eform_working(service=Service.objects.get(code=code))


def names(code=CODE):
    return [f["name"] for f in working(code)]


@pytest.fixture
def admin_client(login, people):
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    return client


# --- the builder page ------------------------------------------------------------------------------------


def test_the_urls_are_the_briefs(pilot):
    assert builder_url() == BUILDER
    assert field_url("iban") == f"{BUILDER}iban/"
    assert field_url("iban", action="move") == f"{BUILDER}iban/move/"
    assert field_url("iban", action="remove") == f"{BUILDER}iban/remove/"


def test_the_builder_lists_the_fields_in_order_with_their_actions_and_previews_both_languages(admin_client):
    response = admin_client.get(BUILDER)

    assert response.status_code == 200
    html = response.content.decode()
    assert [r["name"] for r in response.context["rows"]] == [
        "child_personal_code",
        "child_birth_date",
        "iban",
        "comment",
    ]
    positions = [html.index(f'id="field-{name}"') for name in names()]
    assert positions == sorted(positions)
    # up on all but the first, down on all but the last, edit and remove on all; the field is named
    assert html.count('name="direction" value="up"') == 3 and html.count('name="direction" value="down"') == 3
    assert "move the field “Child&#x27;s personal code” down" in html
    assert html.count(f'action="{BUILDER}comment/remove/"') == 1
    assert f'href="{BUILDER}child_birth_date/"' in html
    # the preview: the fields as the applicant sees them, in Latvian and in English
    assert 'id="preview-lv-child_personal_code"' in html and 'id="preview-en-child_personal_code"' in html
    lv = html[html.index('data-testid="eform-preview-lv"') : html.index('data-testid="eform-preview-en"')]
    en = html[html.index('data-testid="eform-preview-en"') :]
    assert "Bērna personas kods" in lv and "Child&#x27;s personal code" in en
    assert "Ar * atzīmētie lauki ir obligāti." in lv  # each preview in its own language
    assert "Fields marked with * are required." in en
    # no inline script: the drag and drop is a static file
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert '<script src="/static/js/eform-builder.js" defer></script>' in html


def test_the_preview_renders_the_fields_exactly_as_the_application_page(login, people):
    """The preview's Latvian fields are the citizen's application page's, but for the ids."""
    preview_html = login(people["vsaa_admin"]).get(BUILDER).content.decode()  # pages open in Latvian
    citizen = login(people["citizen"])
    session = citizen.session
    session["assurance_level"] = "high"
    session.save()
    apply_html = citizen.get(f"/cases/apply/{CODE}/").content.decode()

    def fields(html, start):
        chunk = html[html.index(start) :]
        chunk = chunk[chunk.index('<div class="field') : chunk.index('<p class="help">Ar *')]
        return " ".join(chunk.split())

    preview = fields(preview_html, 'data-testid="eform-preview-lv"')
    applying = fields(apply_html, 'name="csrfmiddlewaretoken"')
    assert 'id="id_child_birth_date"' in applying and 'type="date"' in applying
    assert re.sub(r'(?<=["\s])id_', "preview-lv-", applying) == preview


def test_the_builder_works_for_a_service_without_an_eform(login, people, pilot):
    admin = Actor(user=people["vsaa_admin"])
    service = services.service_create(
        actor=admin,
        data={
            "code": "7201",
            "agency": "VSAA",
            "title_lv": "Jauns",
            "audience": "person",
            "payment_mode": "none",
            "processing_days": 5,
            "channels": {"agency": {}},
        },
    )
    client = login(people["vsaa_admin"])

    response = client.get(builder_url(service.code))

    assert response.status_code == 200 and response.context["rows"] == []
    assert 'data-testid="eform-empty"' in response.content.decode()

    client.cookies["django_language"] = "en"
    response = client.post(
        builder_url(service.code),
        {"add-type": "email", "add-name": "email", "add-label_lv": "E-pasts", "add-label_en": "E-mail"},
        follow=True,
    )

    html = response.content.decode()
    assert "The field was added." in html and "The public sees it" not in html  # a draft changes at once
    assert "The channel “Online e-service” was added" in html
    service.refresh_from_db()
    assert [f["name"] for f in service.eform] == ["email"]
    assert "e_service" in service.service_channels.values_list("channel__code", flat=True)


def test_adding_a_field_redirects_to_it_and_keeps_it_pending(admin_client):
    response = admin_client.post(
        BUILDER,
        {"add-type": "phone", "add-name": "phone", "add-label_lv": "Tālrunis", "add-label_en": "Phone"},
    )

    assert response.status_code == 302 and response["Location"] == f"{BUILDER}#field-phone"
    assert names()[-1] == "phone"
    service = Service.objects.get(code=CODE)
    assert service.pending is not None and [f["name"] for f in service.eform][-1] == "comment"
    page = admin_client.get(response["Location"]).content.decode()
    assert "The field was added. The public sees it once the changes are published." in page


def test_a_choice_field_is_added_with_its_rows(admin_client):
    response = admin_client.post(
        BUILDER,
        {
            "add-type": "choice",
            "add-name": "payout",
            "add-label_lv": "Izmaksa",
            "add-label_en": "Payout",
            "add-required": "on",
            "add-choices": "bank | Uz kontu | To an account\r\n\r\npost | Pastā | By post",
        },
    )

    assert response.status_code == 302
    added = working()[-1]
    assert added["required"] is True
    assert added["choices"] == [
        {"value": "bank", "label_lv": "Uz kontu", "label_en": "To an account"},
        {"value": "post", "label_lv": "Pastā", "label_en": "By post"},
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"add-type": "phone", "add-name": "iban", "add-label_lv": "T", "add-label_en": "P"}, "name"),
        (
            {"add-type": "phone", "add-name": "phone", "add-label_lv": "Tālrunis", "add-label_en": ""},
            "label_en",
        ),
        ({"add-type": "choice", "add-name": "pick", "add-label_lv": "I", "add-label_en": "P"}, "choices"),
        (
            {
                "add-type": "choice",
                "add-name": "pick",
                "add-label_lv": "I",
                "add-label_en": "P",
                "add-choices": "a|b|c|d",
            },
            "choices",
        ),
        ({"add-type": "colour", "add-name": "pick", "add-label_lv": "I", "add-label_en": "P"}, "type"),
    ],
    ids=["a name used twice", "no English label", "no choices", "a row of four parts", "an unknown type"],
)
def test_a_bad_new_field_is_refused_next_to_its_field_with_422(admin_client, data, field):
    response = admin_client.post(BUILDER, data)

    assert response.status_code == 422
    form = response.context["add_form"]
    assert form.errors[field], form.errors
    html = response.content.decode()
    assert 'class="error-summary"' in html and f'id="id_add-{field}_error"' in html
    assert Service.objects.get(code=CODE).pending is None


# --- the page of one field ----------------------------------------------------------------------------------


def test_the_field_page_shows_the_fields_values_and_its_types_limits(admin_client):
    response = admin_client.get(f"{BUILDER}child_birth_date/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["not_in_future"] is True and form.initial["max_months_ago"] == 24
    assert form.initial["pair_with"] == "child_personal_code"
    assert {
        "min",
        "max",
        "not_in_future",
        "not_in_past",
        "max_months_ago",
        "max_months_ahead",
        "pair_with",
    } <= set(form.fields)
    assert "choices" not in form.fields and "max_length" not in form.fields
    html = response.content.decode()
    assert 'type="date"' in html and "Child&#x27;s date of birth" in html


@pytest.mark.parametrize(
    ("name", "limits"),
    [
        ("comment", {"max_length"}),
        ("iban", set()),
        ("child_personal_code", {"case_subject", "pair_with"}),
    ],
)
def test_each_type_has_its_own_limits(admin_client, name, limits):
    form = admin_client.get(f"{BUILDER}{name}/").context["form"]

    assert {b.name for b in form.type_fields()} == limits


def _edit_data(**changes):
    data = {
        "name": "comment",
        "type": "long_text",
        "label_lv": "Komentārs",
        "label_en": "Comment",
        "help_lv": "",
        "help_en": "",
        "max_length": "2000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_saving_a_field_changes_it_in_place(admin_client):
    response = admin_client.post(
        f"{BUILDER}comment/",
        _edit_data(
            name="note", label_en="Note", help_lv="Īsi", help_en="Briefly", max_length="300", required="on"
        ),
    )

    assert response.status_code == 302 and response["Location"] == f"{BUILDER}#field-note"
    assert names() == ["child_personal_code", "child_birth_date", "iban", "note"]
    assert working()[-1] == {
        "name": "note",
        "type": "long_text",
        "label_lv": "Komentārs",
        "label_en": "Note",
        "help_lv": "Īsi",
        "help_en": "Briefly",
        "required": True,
        "max_length": 300,
    }


def test_number_and_date_limits_are_saved(admin_client):
    admin_client.post(f"{BUILDER}comment/", _edit_data(type="number", max_length=None))
    response = admin_client.post(
        f"{BUILDER}comment/", _edit_data(type="number", max_length=None, min="0,5", max="12")
    )
    assert response.status_code == 302
    assert working()[-1]["min"] == "0.5" and working()[-1]["max"] == 12

    response = admin_client.post(
        f"{BUILDER}child_birth_date/",
        {
            "name": "child_birth_date",
            "type": "date",
            "label_lv": "Bērna dzimšanas datums",
            "label_en": "Child's date of birth",
            "required": "on",
            "min": "2020-01-01",
            "not_in_future": "on",
            "pair_with": "child_personal_code",
        },
    )
    assert response.status_code == 302
    saved = working()[1]
    assert saved["min"] == "2020-01-01" and saved["not_in_future"] is True and "max_months_ago" not in saved
    assert saved["subject"] == working()[0]["subject"] == "child"


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("comment/", _edit_data(label_en=""), "label_en"),
        ("comment/", _edit_data(max_length="0"), "max_length"),
        ("comment/", _edit_data(name="iban"), "name"),
        ("comment/", _edit_data(type="number", max_length=None), None),  # a change of type: saved
        (
            "child_birth_date/",
            {
                "name": "child_birth_date",
                "type": "date",
                "label_lv": "D",
                "label_en": "D",
                "not_in_future": "on",
                "not_in_past": "on",
            },
            "not_in_past",
        ),
        (
            "child_birth_date/",
            {
                "name": "child_birth_date",
                "type": "date",
                "label_lv": "D",
                "label_en": "D",
                "min": "2025-02-01",
                "max": "2025-01-01",
            },
            "min",
        ),
        (
            "child_birth_date/",
            {
                "name": "child_birth_date",
                "type": "date",
                "label_lv": "D",
                "label_en": "D",
                "not_in_future": "on",
                "min": "2999-01-01",
            },
            "min",
        ),
    ],
    ids=[
        "no English label",
        "a zero length",
        "a name used twice",
        "a type change",
        "never and never",
        "min above max",
        "a min in the future",
    ],
)
def test_a_bad_field_is_refused_next_to_its_field_and_nothing_changes(admin_client, url, data, field):
    response = admin_client.post(f"{BUILDER}{url}", data)

    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Service.objects.get(code=CODE).pending is None


def test_a_change_of_type_shows_the_new_types_limits(admin_client):
    response = admin_client.post(f"{BUILDER}iban/", _edit_data(name="iban", type="choice", max_length="5"))

    assert response.status_code == 422
    form = response.context["form"]
    assert "choices" in form.errors and "max_length" not in form.fields
    assert Service.objects.get(code=CODE).pending is None

    response = admin_client.post(f"{BUILDER}iban/", _edit_data(name="iban", type="text", max_length="5"))

    assert response.status_code == 302 and response["Location"] == f"{BUILDER}iban/"
    assert working()[2] == {
        "name": "iban",
        "type": "text",
        "label_lv": "Komentārs",
        "label_en": "Comment",
        "help_lv": "",
        "help_en": "",
        "required": False,
        "max_length": 200,  # the old type's limits are not read: the default
    }


def test_an_unknown_field_is_404(admin_client):
    assert admin_client.get(f"{BUILDER}nothing/").status_code == 404
    assert admin_client.post(f"{BUILDER}nothing/", _edit_data()).status_code == 404
    assert admin_client.post(f"{BUILDER}nothing/move/", {"direction": "up"}).status_code == 404
    assert admin_client.post(f"{BUILDER}nothing/remove/").status_code == 404


# --- move and remove ------------------------------------------------------------------------------------------


def test_moving_with_the_buttons_and_by_dragging(admin_client):
    response = admin_client.post(f"{BUILDER}iban/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == f"{BUILDER}#field-iban"
    assert names() == ["child_personal_code", "iban", "child_birth_date", "comment"]

    admin_client.post(f"{BUILDER}iban/move/", {"direction": "down"})
    assert names() == ["child_personal_code", "child_birth_date", "iban", "comment"]

    admin_client.post(f"{BUILDER}comment/move/", {"to": "0"})
    assert names() == ["comment", "child_personal_code", "child_birth_date", "iban"]


def test_a_move_without_a_place_changes_nothing(admin_client):
    response = admin_client.post(f"{BUILDER}iban/move/", {"to": "-1"})

    assert response.status_code == 302 and Service.objects.get(code=CODE).pending is None
    assert admin_client.get(f"{BUILDER}iban/move/").status_code == 405


def test_removing_a_field(admin_client):
    response = admin_client.post(f"{BUILDER}comment/remove/")

    assert response.status_code == 302 and response["Location"] == BUILDER
    assert names() == ["child_personal_code", "child_birth_date", "iban"]
    assert "The field was removed." in admin_client.get(BUILDER).content.decode()


# --- who may ----------------------------------------------------------------------------------------------------

REQUESTS = [
    ("get", BUILDER, None),
    ("post", BUILDER, {"add-type": "phone", "add-name": "phone", "add-label_lv": "T", "add-label_en": "P"}),
    ("get", f"{BUILDER}comment/", None),
    ("post", f"{BUILDER}comment/", _edit_data(label_en="Changed")),
    ("post", f"{BUILDER}comment/move/", {"direction": "up"}),
    ("post", f"{BUILDER}comment/remove/", {}),
]


@pytest.mark.parametrize("who", ["pmlp_admin", "vsaa_staff", "citizen"])
@pytest.mark.parametrize(("method", "url", "data"), REQUESTS)
def test_another_agencys_admin_and_non_admins_get_404_and_change_nothing(
    login, people, pilot, who, method, url, data
):
    client = login(people[who])
    events = AuditEvent.objects.count()

    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)

    assert response.status_code == 404
    service = Service.objects.get(code=CODE)
    assert service.pending is None and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("method", "url", "data"), REQUESTS)
def test_anonymous_is_sent_to_log_in(client, pilot, method, url, data):
    response = getattr(client, method)(url, data or {})

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Service.objects.get(code=CODE).pending is None


def test_a_platform_admin_opens_any_services_builder(login, people):
    assert login(people["platform_admin"]).get(BUILDER).status_code == 200


# --- escaping ------------------------------------------------------------------------------------------------------


def test_a_hostile_label_is_escaped_on_the_builder_its_preview_and_the_field_page(admin_client, people):
    eform_builder.eform_field_add(
        actor=Actor(user=people["vsaa_admin"]),
        service=Service.objects.get(code=CODE),
        field={
            "name": "evil",
            "type": "choice",
            "label_lv": HOSTILE,
            "label_en": HOSTILE,
            "help_lv": HOSTILE,
            "help_en": HOSTILE,
            "choices": [{"value": "a", "label_lv": HOSTILE, "label_en": HOSTILE}],
        },
    )
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

    for url in (BUILDER, f"{BUILDER}evil/"):
        html = admin_client.get(url).content.decode()
        assert HOSTILE not in html and "<img src=x" not in html
        assert escaped in html
    builder = admin_client.get(BUILDER).content.decode()
    lv = builder[builder.index('data-testid="eform-preview-lv"') :]
    assert lv.count(escaped) >= 3  # the label, the help and the choice in the preview


def test_an_over_long_label_is_refused(admin_client):
    response = admin_client.post(
        BUILDER, {"add-type": "phone", "add-name": "phone", "add-label_lv": "Ā" * 301, "add-label_en": "P"}
    )

    assert response.status_code == 422 and response.context["add_form"].errors["label_lv"]


# --- queries ---------------------------------------------------------------------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BUILDER).status_code == 200
    return len(queries)


def test_the_builder_page_reads_a_fixed_number_of_queries(admin_client, people, django_assert_num_queries):
    """As many queries for one field as for sixteen: the user, the service, and its snapshot's rows
    (life events, channels, centres) only when it has no pending changes."""
    admin_client.get(BUILDER)  # the session and the caches warm
    with django_assert_num_queries(5):  # the published service: its snapshot is read from the rows
        admin_client.get(BUILDER)
    actor = Actor(user=people["vsaa_admin"])
    for n in range(12):
        eform_builder.eform_field_add(
            actor=actor,
            service=Service.objects.get(code=CODE),
            field={"name": f"extra_{n}", "type": "text", "label_lv": f"L {n}", "label_en": f"E {n}"},
        )
        if n == 0:
            five = _queries(admin_client)
    sixteen = _queries(admin_client)

    assert five == sixteen == 2  # the pending changes hold the whole working snapshot
