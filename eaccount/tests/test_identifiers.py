"""Latvian personal codes and registration numbers: validated with python-stdnum, kept in one normal form."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from eaccount.forms import OrganisationForm, PersonForm
from kernel.identifiers import (
    birth_date_from_personal_code,
    normalise_personal_code,
    normalise_registration_number,
)

from .factories import PersonFactory, new_personal_code_for, personal_code_for

ENGLISH_FORMAT_MESSAGE = "Enter a valid Latvian personal code, e.g. 010190-12345."
ENGLISH_DIGITS_MESSAGE = "This personal code is not valid: check the digits."


@pytest.mark.parametrize(
    "given, normal",
    [
        ("161175-19997", "161175-19997"),  # old format, with the birth date
        ("16117519997", "161175-19997"),  # without the hyphen
        (" 161175 19997 ", "161175-19997"),  # spaces
        ("LV16117519997", "161175-19997"),  # with the VAT prefix
        ("328673-00679", "328673-00679"),  # new format, from 2017, no birth date
        ("32867300679", "328673-00679"),
    ],
)
def test_personal_codes_are_normalised(given, normal):
    assert normalise_personal_code(given) == normal


@pytest.mark.parametrize(
    "given, message",
    [
        ("", ENGLISH_FORMAT_MESSAGE),
        ("12345", ENGLISH_FORMAT_MESSAGE),  # too short
        ("161175-1999x", ENGLISH_FORMAT_MESSAGE),  # not digits
        ("40003521600", ENGLISH_FORMAT_MESSAGE),  # a valid company number is not a personal code
        ("90000010008", ENGLISH_FORMAT_MESSAGE),  # nor is any number starting 4-9
        ("161175-19998", ENGLISH_DIGITS_MESSAGE),  # wrong check digit, old format
        ("328673-00677", ENGLISH_DIGITS_MESSAGE),  # wrong check digit, new format
        ("161375-19997", ENGLISH_DIGITS_MESSAGE),  # month 13
        ("310275-19997", ENGLISH_DIGITS_MESSAGE),  # 31 February
    ],
)
def test_invalid_personal_codes_are_refused(given, message):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        normalise_personal_code(given)
    assert excinfo.value.code == "invalid_personal_code"
    with translation.override("en"):
        assert excinfo.value.messages == [message]


def test_a_personal_code_born_in_the_future_is_refused():
    # given a code whose check digit is right but whose birth date is next year
    future = timezone.localdate() + timedelta(days=400)
    code = personal_code_for(7, born=future)
    # then it is refused
    with pytest.raises(ValidationError):
        normalise_personal_code(code)


def test_generated_codes_of_the_factories_are_valid():
    for n in range(200):
        assert normalise_personal_code(personal_code_for(n)) == personal_code_for(n)
        assert normalise_personal_code(new_personal_code_for(n)) == new_personal_code_for(n)


def test_birth_date_is_read_from_an_old_code_and_absent_from_a_new_one():
    assert birth_date_from_personal_code("161175-19997") == date(1975, 11, 16)
    assert birth_date_from_personal_code("030718-23455") == date(2018, 7, 3)
    assert birth_date_from_personal_code("328673-00679") is None


@pytest.mark.parametrize("given", ["40003521600", "LV40003521600", "4000 3521 600", "LV 4000 3521 600"])
def test_registration_numbers_are_normalised(given):
    assert normalise_registration_number(given) == "40003521600"


@pytest.mark.parametrize(
    "given",
    ["", "4000352160", "40003521601", "161175-19997", "328673-00679", "4000352160a"],
)
def test_invalid_registration_numbers_are_refused(given):
    with pytest.raises(ValidationError) as excinfo:
        normalise_registration_number(given)
    assert excinfo.value.code == "invalid_registration_number"


@pytest.mark.django_db
def test_person_form_normalises_and_saves_the_code():
    # given a person's data with a code typed without the hyphen
    form = PersonForm(data={"personal_code": "16117519997", "first_name": "Anna", "last_name": "Ozola"})
    # when the form is validated and saved
    assert form.is_valid(), form.errors
    person = form.save()
    # then the code is stored in its normal form
    assert person.personal_code == "161175-19997"


@pytest.mark.django_db
def test_person_form_refuses_a_duplicate_code_in_any_spelling():
    PersonFactory(personal_code="161175-19997")
    form = PersonForm(data={"personal_code": "LV16117519997", "first_name": "A", "last_name": "B"})
    assert not form.is_valid()
    assert "personal_code" in form.errors


@pytest.fixture
def marking_catalogue(monkeypatch):
    """A stand-in Latvian catalogue that marks every string it translates, so the test does not depend
    on which strings the real catalogue has translated yet: a message shows "[lv] …" under Latvian only
    if it went through gettext when the page's language was active."""
    real_gettext = translation._trans.gettext

    def gettext(message):
        translated = real_gettext(message)
        return f"[lv] {message}" if translation.get_language() == "lv" else translated

    monkeypatch.setattr(translation._trans, "gettext", gettext)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form_class, data, field, english",
    [
        (PersonForm, {"personal_code": "161175-19998"}, "personal_code", ENGLISH_DIGITS_MESSAGE),
        (PersonForm, {"personal_code": "40003521600"}, "personal_code", ENGLISH_FORMAT_MESSAGE),
        (
            OrganisationForm,
            {"registration_number": "40003521601", "name": "SIA X"},
            "registration_number",
            "This registration number is not valid: check the digits.",
        ),
    ],
)
def test_invalid_code_message_is_in_the_page_language(marking_catalogue, form_class, data, field, english):
    # given an invalid code, submitted once on an English page and once on a Latvian page
    with translation.override("en"):
        form = form_class(data=data)
        english_errors = [str(error) for error in form.errors[field]]
    with translation.override("lv"):
        form = form_class(data=data)
        latvian_errors = [str(error) for error in form.errors[field]]
    # then the English page says it in English and the Latvian page through the Latvian catalogue
    assert english in english_errors
    assert f"[lv] {english}" in latvian_errors


@pytest.mark.django_db
def test_invalid_code_message_uses_the_real_latvian_catalogue_when_it_has_the_string():
    with translation.override("lv"):
        form = PersonForm(data={"personal_code": "161175-19998"})
        errors = [str(error) for error in form.errors["personal_code"]]
        expected = translation.gettext(ENGLISH_DIGITS_MESSAGE)
    if expected == ENGLISH_DIGITS_MESSAGE:
        pytest.skip("the Latvian catalogue has no translation of this message yet")
    assert errors == [expected]
