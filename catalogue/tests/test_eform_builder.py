"""The e-form builder's operations (catalogue.services.eform_builder): add, update, move, remove, the
pairing of a personal code with a date of birth, the e-service channel that goes with an e-form, and
each refusal naming its field."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent
from catalogue import services
from catalogue.constants import ServiceState
from catalogue.eforms import eform_definition_validate
from catalogue.models import Service, ServiceVersion
from catalogue.services import eform_builder
from kernel.actors import Actor
from kernel.errors import Invalid, NotFound

PILOT_NAMES = ["child_personal_code", "child_birth_date", "iban", "comment"]


def _field(**extra):
    return {"name": "phone", "type": "phone", "label_lv": "Tālrunis", "label_en": "Phone", **extra}


@pytest.fixture
def admin(people):
    return Actor(user=people["vsaa_admin"])


@pytest.fixture
def benefit(pilot):
    """Bērna kopšanas pabalsts: published, version 1, four fields (a child's code and birth date paired)."""
    return Service.objects.get(code="1014")


@pytest.fixture
def draft(admin):
    """A new VSAA service without an e-form, offered only at the agency."""
    return services.service_create(
        actor=admin,
        data={
            "code": "7101",
            "agency": "VSAA",
            "title_lv": "Jauns pakalpojums",
            "audience": "person",
            "payment_mode": "none",
            "processing_days": 5,
            "channels": {"agency": {}},
        },
    )


def names(service):
    return [f["name"] for f in eform_builder.eform_working(service=Service.objects.get(pk=service.pk))]


# --- add ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_field_to_a_public_service_keeps_it_pending_and_the_filed_version_as_it_was(admin, benefit):
    change = eform_builder.eform_field_add(actor=admin, service=benefit, field=_field(required=True))

    benefit.refresh_from_db()
    assert change.name == "phone" and not change.channel_added
    assert names(benefit) == [*PILOT_NAMES, "phone"]
    assert [f["name"] for f in benefit.eform] == PILOT_NAMES  # the public keeps the published form
    assert benefit.version == 1 and benefit.state == ServiceState.PUBLISHED
    assert benefit.pending["eform"][-1] == {
        "name": "phone",
        "type": "phone",
        "label_lv": "Tālrunis",
        "label_en": "Phone",
        "help_lv": "",
        "help_en": "",
        "required": True,
    }
    assert benefit.preparers == [{"id": admin.user.pk, "name": str(admin.user)}]
    event = AuditEvent.objects.filter(action="catalogue.service.update").latest("pk")
    assert event.data["fields"] == ["eform"]

    services.service_publish(actor=admin, service=benefit)
    assert [f["name"] for f in ServiceVersion.objects.get(service=benefit, number=1).eform] == PILOT_NAMES
    assert [f["name"] for f in ServiceVersion.objects.get(service=benefit, number=2).eform][-1] == "phone"


@pytest.mark.django_db
def test_a_field_is_added_at_a_place_and_the_result_is_a_valid_definition(admin, benefit):
    eform_builder.eform_field_add(actor=admin, service=benefit, field=_field(), position=1)

    assert names(benefit) == ["child_personal_code", "phone", "child_birth_date", "iban", "comment"]
    eform_definition_validate(eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk)))


@pytest.mark.django_db
def test_the_first_field_of_a_draft_adds_the_e_service_channel_and_removing_the_last_removes_it(admin, draft):
    change = eform_builder.eform_field_add(actor=admin, service=draft, field=_field())

    draft.refresh_from_db()
    assert change.channel_added
    assert [f["name"] for f in draft.eform] == ["phone"]  # a draft changes at once
    assert draft.pending is None
    assert set(draft.service_channels.values_list("channel__code", flat=True)) == {"agency", "e_service"}

    change = eform_builder.eform_field_remove(actor=admin, service=draft, name="phone")

    draft.refresh_from_db()
    assert change.channel_removed and draft.eform == []
    assert set(draft.service_channels.values_list("channel__code", flat=True)) == {"agency"}


@pytest.mark.django_db
def test_a_choice_field_is_added_with_its_choices_in_both_languages(admin, benefit):
    choices = [
        {"value": "bank", "label_lv": "Uz kontu", "label_en": "To an account"},
        {"value": "post", "label_lv": "Pastā", "label_en": "By post"},
    ]
    eform_builder.eform_field_add(
        actor=admin,
        service=benefit,
        field={
            "name": "payout",
            "type": "choice",
            "label_lv": "Izmaksa",
            "label_en": "Payout",
            "choices": choices,
        },
    )

    added = eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))[-1]
    assert added["choices"] == choices


# --- update ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_renamed_field_keeps_its_place(admin, benefit):
    field = {**_field(), "name": "account", "type": "iban", "label_lv": "Konts", "label_en": "Account"}

    change = eform_builder.eform_field_update(actor=admin, service=benefit, name="iban", field=field)

    assert change.name == "account"
    assert names(benefit) == ["child_personal_code", "child_birth_date", "account", "comment"]


@pytest.mark.django_db
def test_a_change_of_type_drops_the_old_types_limits(admin, benefit):
    field = {
        "name": "comment",
        "type": "number",
        "label_lv": "Skaits",
        "label_en": "Count",
        "max_length": 2000,
    }

    eform_builder.eform_field_update(actor=admin, service=benefit, name="comment", field={**field, "min": 1})

    changed = eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))[-1]
    assert changed["type"] == "number" and changed["min"] == 1 and "max_length" not in changed


@pytest.mark.django_db
def test_an_unknown_field_is_not_found(admin, benefit):
    with pytest.raises(NotFound):
        eform_builder.eform_field_update(actor=admin, service=benefit, name="nothing", field=_field())
    with pytest.raises(NotFound):
        eform_builder.eform_field_remove(actor=admin, service=benefit, name="nothing")
    with pytest.raises(NotFound):
        eform_builder.eform_field_move(actor=admin, service=benefit, name="nothing", to=0)


# --- move and remove --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moving_a_field_to_a_place_up_and_down(admin, benefit):
    eform_builder.eform_field_move(actor=admin, service=benefit, name="comment", to=0)
    assert names(benefit) == ["comment", "child_personal_code", "child_birth_date", "iban"]

    eform_builder.eform_field_move_down(actor=admin, service=benefit, name="comment")
    assert names(benefit) == ["child_personal_code", "comment", "child_birth_date", "iban"]

    eform_builder.eform_field_move_up(actor=admin, service=benefit, name="iban")
    assert names(benefit) == ["child_personal_code", "comment", "iban", "child_birth_date"]

    eform_builder.eform_field_move(actor=admin, service=benefit, name="child_personal_code", to=99)
    assert names(benefit) == ["comment", "iban", "child_birth_date", "child_personal_code"]


@pytest.mark.django_db
def test_moving_the_first_field_up_changes_nothing_and_records_nothing(admin, benefit):
    before = AuditEvent.objects.count()

    eform_builder.eform_field_move_up(actor=admin, service=benefit, name="child_personal_code")

    benefit.refresh_from_db()
    assert benefit.pending is None and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_removing_a_field_undoes_its_pair_on_the_other_field(admin, benefit):
    eform_builder.eform_field_remove(actor=admin, service=benefit, name="child_birth_date")

    eform = eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))
    assert [f["name"] for f in eform] == ["child_personal_code", "iban", "comment"]
    assert "subject" not in eform[0] and eform[0]["case_subject"] is True


# --- pairs of a personal code and a date of birth ----------------------------------------------------------


@pytest.mark.django_db
def test_a_date_is_paired_with_a_personal_code_in_one_save_and_unpaired_again(admin, benefit):
    mother_code = {
        "name": "mother_code",
        "type": "personal_code",
        "label_lv": "Mātes kods",
        "label_en": "Mother",
    }
    mother_born = {"name": "mother_born", "type": "date", "label_lv": "Mātes dz. d.", "label_en": "Born"}
    eform_builder.eform_field_add(actor=admin, service=benefit, field=mother_code)
    eform_builder.eform_field_add(actor=admin, service=benefit, field=mother_born)

    eform_builder.eform_field_update(
        actor=admin, service=benefit, name="mother_born", field={**mother_born, "pair_with": "mother_code"}
    )

    eform = eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))
    by_name = {f["name"]: f for f in eform}
    assert by_name["mother_code"]["subject"] == by_name["mother_born"]["subject"] == "mother_code"
    assert eform_builder.eform_field_partner(eform=eform, name="mother_code") == "mother_born"

    eform_builder.eform_field_update(
        actor=admin, service=benefit, name="mother_code", field={**mother_code, "pair_with": ""}
    )

    by_name = {f["name"]: f for f in eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))}
    assert "subject" not in by_name["mother_code"] and "subject" not in by_name["mother_born"]
    assert by_name["child_birth_date"]["subject"] == "child"  # the other pair stays


@pytest.mark.django_db
def test_a_field_already_paired_is_refused_as_a_partner(admin, benefit):
    born = {"name": "born", "type": "date", "label_lv": "Datums", "label_en": "Date"}
    eform_builder.eform_field_add(actor=admin, service=benefit, field=born)

    with pytest.raises(Invalid) as refusal:
        eform_builder.eform_field_update(
            actor=admin, service=benefit, name="born", field={**born, "pair_with": "child_personal_code"}
        )

    assert "child_birth_date" in refusal.value.field_errors["pair_with"][0]


# --- refusals ------------------------------------------------------------------------------------------------

TODAY = timezone.localdate()
FUTURE = (TODAY + datetime.timedelta(days=40)).isoformat()
PAST = (TODAY - datetime.timedelta(days=800)).isoformat()


def _date(**extra):
    return {"name": "day", "type": "date", "label_lv": "Datums", "label_en": "Date", **extra}


REFUSALS = {
    "a name used twice": ({**_field(), "name": "iban"}, "name"),
    "a malformed name": ({**_field(), "name": "Phone number"}, "name"),
    "no name": ({**_field(), "name": ""}, "name"),
    "an unknown type": ({**_field(), "type": "colour"}, "type"),
    "no English label": ({**_field(), "label_en": "  "}, "label_en"),
    "no Latvian label": ({**_field(), "label_lv": ""}, "label_lv"),
    "an over-long label": ({**_field(), "label_lv": "Ā" * 301}, "label_lv"),
    "a control character in a label": ({**_field(), "label_en": "Pho\x00ne"}, "label_en"),
    "an empty choice list": (
        {"name": "pick", "type": "choice", "label_lv": "Izvēle", "label_en": "Pick", "choices": []},
        "choices",
    ),
    "a choice without an English label": (
        {
            "name": "pick",
            "type": "choice",
            "label_lv": "Izvēle",
            "label_en": "Pick",
            "choices": [{"value": "a", "label_lv": "A", "label_en": ""}],
        },
        "choices",
    ),
    "a choice listed twice": (
        {
            "name": "pick",
            "type": "choice",
            "label_lv": "Izvēle",
            "label_en": "Pick",
            "choices": [{"value": "a", "label_lv": "A", "label_en": "A"}] * 2,
        },
        "choices",
    ),
    "a number's min above its max": (
        {"name": "count", "type": "number", "label_lv": "Skaits", "label_en": "Count", "min": 10, "max": 2},
        "min",
    ),
    "a number limit that is not a number": (
        {"name": "count", "type": "number", "label_lv": "Skaits", "label_en": "Count", "max": "many"},
        "max",
    ),
    "a date's min after its max": (_date(min="2025-05-01", max="2025-01-01"), "min"),
    "not in the future and not in the past": (_date(not_in_future=True, not_in_past=True), "not_in_past"),
    "not in the future and months ahead": (_date(not_in_future=True, max_months_ahead=3), "max_months_ahead"),
    "not in the past and months ago": (_date(not_in_past=True, max_months_ago=3), "max_months_ago"),
    "not in the future with a min in the future": (_date(not_in_future=True, min=FUTURE), "min"),
    "not in the past with a max in the past": (_date(not_in_past=True, max=PAST), "max"),
    "a month ago at most with a max years ago": (_date(max_months_ago=1, max=PAST), "max"),
    "months that are not a whole number": (_date(max_months_ago=0), "max_months_ago"),
    "a text's length over the limit": (
        {"name": "note", "type": "text", "label_lv": "Piezīme", "label_en": "Note", "max_length": 999999},
        "max_length",
    ),
    "a file type that is not an extension": (
        {
            "name": "scan",
            "type": "file",
            "label_lv": "Fails",
            "label_en": "File",
            "allowed_extensions": ["pdf!"],
        },
        "allowed_extensions",
    ),
    "a file size over the limit": (
        {"name": "scan", "type": "file", "label_lv": "Fails", "label_en": "File", "max_size_kb": 10**6},
        "max_size_kb",
    ),
    "an optional case subject": (
        {"name": "pc", "type": "personal_code", "label_lv": "Kods", "label_en": "Code", "case_subject": True},
        "case_subject",
    ),
    "a second case subject": (
        {
            "name": "pc",
            "type": "personal_code",
            "label_lv": "Kods",
            "label_en": "Code",
            "required": True,
            "case_subject": True,
        },
        "case_subject",
    ),
    "a flag that is not yes or no": ({**_field(), "required": "yes"}, "required"),
    "an unknown key": ({**_field(), "colour": "red"}, "__all__"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "key"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_field_is_refused_naming_the_field_and_nothing_is_saved(admin, benefit, field, key):
    events = AuditEvent.objects.count()

    with pytest.raises(Invalid) as refusal:
        eform_builder.eform_field_add(actor=admin, service=benefit, field=field)

    assert key in refusal.value.field_errors, refusal.value.field_errors
    benefit.refresh_from_db()
    assert benefit.pending is None and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_update_is_refused_like_an_add_and_a_rename_onto_another_field_is_refused(admin, benefit):
    field = {"name": "comment", "type": "long_text", "label_lv": "Komentārs", "label_en": ""}
    with pytest.raises(Invalid) as refusal:
        eform_builder.eform_field_update(actor=admin, service=benefit, name="comment", field=field)
    assert list(refusal.value.field_errors) == ["label_en"]

    with pytest.raises(Invalid) as refusal:
        eform_builder.eform_field_update(
            actor=admin, service=benefit, name="comment", field={**field, "label_en": "C", "name": "iban"}
        )
    assert list(refusal.value.field_errors) == ["name"]
    benefit.refresh_from_db()
    assert benefit.pending is None


@pytest.mark.django_db
def test_a_hostile_label_is_stored_as_text(admin, benefit):
    label = '<script>alert("x")</script><b>Tālrunis</b>'

    eform_builder.eform_field_add(actor=admin, service=benefit, field=_field(label_lv=label))

    assert eform_builder.eform_working(service=Service.objects.get(pk=benefit.pk))[-1]["label_lv"] == label


# --- who may ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pmlp_admin", "vsaa_staff", "citizen", "anonymous"])
def test_only_an_editor_of_the_service_changes_its_eform(people, benefit, who):
    actor = Actor(user=people[who])
    operations = [
        lambda: eform_builder.eform_field_add(actor=actor, service=benefit, field=_field()),
        lambda: eform_builder.eform_field_update(actor=actor, service=benefit, name="iban", field=_field()),
        lambda: eform_builder.eform_field_remove(actor=actor, service=benefit, name="iban"),
        lambda: eform_builder.eform_field_move(actor=actor, service=benefit, name="iban", to=0),
        lambda: eform_builder.eform_field_move_up(actor=actor, service=benefit, name="iban"),
    ]
    for operation in operations:
        with pytest.raises(PermissionDenied):
            operation()

    benefit.refresh_from_db()
    assert benefit.pending is None


@pytest.mark.django_db
def test_a_platform_admin_edits_any_services_eform(people, benefit):
    eform_builder.eform_field_remove(
        actor=Actor(user=people["platform_admin"]), service=benefit, name="comment"
    )

    assert names(benefit) == PILOT_NAMES[:3]
