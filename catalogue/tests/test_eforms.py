import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from catalogue.eforms import (
    FIELD_TYPES,
    eform_definition_validate,
    eform_display,
    eform_field_label,
    eform_help,
    eform_validate,
)

PDF = b"%PDF-1.4\n%demo\n"

DEFINITION = [
    {
        "name": "child_personal_code",
        "type": "personal_code",
        "label_lv": "Bērna personas kods",
        "label_en": "Child's personal code",
        "required": True,
        "help_lv": "Piemēram",
        "help_en": "For example",
    },
    {
        "name": "child_birth_date",
        "type": "date",
        "label_lv": "Dzimšanas datums",
        "required": True,
        "min": "1990-01-01",
    },
    {"name": "iban", "type": "iban", "label_lv": "IBAN", "required": True},
    {
        "name": "document",
        "type": "file",
        "label_lv": "Dokuments",
        "allowed_extensions": [".pdf"],
        "max_size_kb": 1,
    },
    {"name": "comment", "type": "long_text", "label_lv": "Komentārs", "max_length": 20},
    {"name": "amount", "type": "number", "label_lv": "Summa", "min": 0, "max": "100.50"},
    {
        "name": "kind",
        "type": "choice",
        "label_lv": "Veids",
        "choices": [{"value": "a", "label_lv": "A lv", "label_en": "A en"}, {"value": "b", "label_lv": "B"}],
    },
    {"name": "consent", "type": "checkbox", "label_lv": "Piekrītu", "required": True},
    {"name": "email", "type": "email", "label_lv": "E-pasts"},
    {"name": "phone", "type": "phone", "label_lv": "Tālrunis"},
    {"name": "title", "type": "text", "label_lv": "Virsraksts"},
]


def test_field_types_are_the_eleven_of_the_issue():
    assert set(FIELD_TYPES) == {
        "text",
        "long_text",
        "number",
        "date",
        "choice",
        "checkbox",
        "personal_code",
        "iban",
        "email",
        "phone",
        "file",
    }


def test_definition_is_normalised():
    fields = eform_definition_validate(DEFINITION)
    assert [f["name"] for f in fields] == [f["name"] for f in DEFINITION]
    assert fields[0]["required"] is True
    assert fields[4]["max_length"] == 20
    assert fields[10]["max_length"] == 200  # the default for text
    assert fields[9]["required"] is False
    json.dumps(fields)


@pytest.mark.parametrize(
    "definition, fragment",
    [
        ([{"name": "a", "type": "colour", "label_lv": "A"}], "unknown field type"),
        (
            [{"name": "a", "type": "text", "label_lv": "A"}, {"name": "a", "type": "date", "label_lv": "B"}],
            "twice",
        ),
        ([{"type": "text", "label_lv": "A"}], "no name"),
        ([{"name": "A b", "type": "text", "label_lv": "A"}], "name starts"),
        ([{"name": "a", "type": "text"}], "Latvian label"),
        ([{"name": "a", "type": "text", "label_lv": "A", "max_length": 0}], "maximum length"),
        ([{"name": "a", "type": "text", "label_lv": "A", "max_length": "many"}], "maximum length"),
        ([{"name": "a", "type": "number", "label_lv": "A", "min": 5, "max": 1}], "minimum is greater"),
        ([{"name": "a", "type": "number", "label_lv": "A", "min": "x"}], "must be a number"),
        ([{"name": "a", "type": "date", "label_lv": "A", "min": "2020-13-01"}], "YYYY-MM-DD"),
        (
            [{"name": "a", "type": "date", "label_lv": "A", "min": "2021-01-01", "max": "2020-01-01"}],
            "earliest",
        ),
        ([{"name": "a", "type": "choice", "label_lv": "A"}], "needs a list of choices"),
        (
            [
                {
                    "name": "a",
                    "type": "choice",
                    "label_lv": "A",
                    "choices": [{"value": "x", "label_lv": "X"}, {"value": "x", "label_lv": "Y"}],
                }
            ],
            "listed twice",
        ),
        (
            [{"name": "a", "type": "file", "label_lv": "A", "allowed_extensions": ["pdf"]}],
            "allowed extensions",
        ),
        ([{"name": "a", "type": "file", "label_lv": "A", "max_size_kb": -1}], "maximum size"),
        ([{"name": "a", "type": "text", "label_lv": "A", "colour": "red"}], "unknown keys"),
        ([{"name": "a", "type": "text", "label_lv": "A", "required": "yes"}], "true or false"),
        ([{"name": "a", "type": "date", "label_lv": "A", "max_length": 3}], "does not apply"),
        ("not a list", "list of fields"),
        ({"name": "a"}, "list of fields"),
        (["a string"], "not an object"),
    ],
)
def test_bad_definitions_are_refused(definition, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        eform_definition_validate(definition)
    assert any(fragment in m for m in error.value.messages), error.value.messages


def test_valid_submission_is_cleaned_to_json():
    fields = eform_definition_validate(DEFINITION)
    upload = SimpleUploadedFile("birth.PDF", PDF, content_type="application/pdf")
    result = eform_validate(
        definition=fields,
        data={
            "child_personal_code": "03071823455",
            "child_birth_date": "2018-07-03",
            "iban": "lv80 bank 0000 4351 9500 1",
            "comment": "  thanks  ",
            "amount": "12,50",
            "kind": "b",
            "consent": "on",
            "email": "Anna@Example.LV",
            "phone": "+371 2000 0000",
            "unknown": "ignored",
        },
        files={"document": upload},
    )
    assert result.is_valid, result.errors
    assert result.cleaned == {
        "child_personal_code": "030718-23455",
        "child_birth_date": "2018-07-03",
        "iban": "LV80BANK0000435195001",
        "comment": "thanks",
        "amount": "12.5",
        "kind": "b",
        "consent": True,
        "email": "Anna@example.lv",
        "phone": "+37120000000",
    }
    assert result.files == {"document": upload}
    json.dumps(result.cleaned)


def test_latvian_date_format_is_accepted():
    fields = eform_definition_validate([{"name": "d", "type": "date", "label_lv": "D"}])
    assert eform_validate(definition=fields, data={"d": "03.07.2018."}).cleaned == {"d": "2018-07-03"}


@pytest.mark.parametrize(
    "name, value",
    [
        ("child_personal_code", "40003000002"),  # a company number, valid for lv.pvn
        ("child_personal_code", "030718-23456"),
        ("child_birth_date", "1989-12-31"),
        ("child_birth_date", "2018-02-30"),
        ("iban", "LV80BANK0000435195002"),
        ("comment", "x" * 21),
        ("amount", "100.51"),
        ("amount", "-1"),
        ("amount", "NaN"),
        ("amount", "1e999999"),
        ("kind", "c"),
        ("consent", "maybe"),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("title", "nul\x00byte"),
        ("title", "x" * 50000),
    ],
)
def test_bad_values_give_field_errors(name, value):
    fields = eform_definition_validate(DEFINITION)
    data = {
        "child_personal_code": "030718-23455",
        "child_birth_date": "2018-07-03",
        "iban": "LV80BANK0000435195001",
        "consent": "on",
    }
    data[name] = value
    result = eform_validate(definition=fields, data=data)
    assert not result.is_valid
    assert list(result.errors) == [name]
    assert name not in result.cleaned
    assert all(isinstance(m, str) and m for m in result.errors[name])


def test_required_fields_and_consent():
    fields = eform_definition_validate(DEFINITION)
    with translation.override("en"):
        result = eform_validate(definition=fields, data={})
    assert set(result.errors) == {"child_personal_code", "child_birth_date", "iban", "consent"}
    assert result.errors["iban"] == ["This field is required."]
    assert result.errors["consent"] == ["Tick this box to continue."]


def test_required_file_missing():
    fields = eform_definition_validate([{"name": "f", "type": "file", "label_lv": "F", "required": True}])
    assert "f" in eform_validate(definition=fields, data={}, files={}).errors


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("big.pdf", PDF + b"x" * 2048),
        SimpleUploadedFile("script.exe", b"MZ..."),
        SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"),
        SimpleUploadedFile("empty.pdf", b""),
    ],
)
def test_bad_files_are_refused(upload):
    fields = eform_definition_validate(DEFINITION)
    result = eform_validate(definition=fields, data={}, files={"document": upload})
    assert "document" in result.errors
    assert "document" not in result.files


def test_messages_follow_the_active_language():
    fields = eform_definition_validate([{"name": "e", "type": "email", "label_lv": "E"}])
    with translation.override("en"):
        english = eform_validate(definition=fields, data={"e": "x"}).errors["e"]
    assert english == ["Enter a valid e-mail address."]


def test_labels_pick_the_language():
    field = DEFINITION[0]
    with translation.override("en"):
        assert eform_field_label(field) == "Child's personal code"
        assert eform_help(field) == "For example"
        assert eform_field_label(DEFINITION[1]) == "Dzimšanas datums"  # no English: Latvian
    with translation.override("lv"):
        assert eform_field_label(field) == "Bērna personas kods"


def test_display_rows():
    fields = eform_definition_validate(DEFINITION)
    with translation.override("en"):
        rows = eform_display(definition=fields, cleaned={"kind": "a", "consent": True, "comment": "hi"})
    assert [(r["name"], r["value"]) for r in rows] == [
        ("comment", "hi"),
        ("kind", "A en"),
        ("consent", "Yes"),
    ]


def test_querydict_data():
    from django.http import QueryDict

    fields = eform_definition_validate([{"name": "t", "type": "text", "label_lv": "T", "required": True}])
    assert eform_validate(definition=fields, data=QueryDict("t=hello")).cleaned == {"t": "hello"}
