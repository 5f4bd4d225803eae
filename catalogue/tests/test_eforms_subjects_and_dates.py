"""E-form subjects (a personal code and a date of birth that must agree; the case subject) and dates
bounded relative to today, shown the way the page's language writes dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from catalogue.eforms import (
    date_shown,
    eform_case_subject,
    eform_date_bounds,
    eform_definition_validate,
    eform_validate,
)
from catalogue.eforms.dates import shift_months

from .test_eforms import DEFINITION

# --- subjects: a personal code and a date of birth of one person ----------------------------------

CHILD = [
    {
        "name": "child_code",
        "type": "personal_code",
        "label_lv": "Bērna personas kods",
        "required": True,
        "subject": "child",
        "case_subject": True,
    },
    {"name": "child_born", "type": "date", "label_lv": "Bērna dzimšanas datums", "subject": "child"},
    {"name": "parent_code", "type": "personal_code", "label_lv": "Vecāka personas kods"},
]


def test_subject_keys_are_kept_and_older_fields_gain_no_keys():
    fields = eform_definition_validate(CHILD)

    assert fields[0]["subject"] == "child" and fields[0]["case_subject"] is True
    assert fields[1]["subject"] == "child" and "case_subject" not in fields[1]
    assert not {"subject", "case_subject", "not_in_future"} & set(fields[2])
    assert all("case_subject" not in f and "subject" not in f for f in eform_definition_validate(DEFINITION))


def _with(index: int, **changes) -> list[dict]:
    definition = [dict(f) for f in CHILD]
    definition[index].update(changes)
    return [f for f in definition if f.get("name")]


@pytest.mark.parametrize(
    "definition, fragment",
    [
        (_with(1, subject=None), "needs both a personal-code field and a date field"),
        (_with(0, subject="mother"), "needs both"),
        (
            CHILD + [{"name": "born_again", "type": "date", "label_lv": "D", "subject": "child"}],
            "more than one date",
        ),
        (_with(2, subject="child"), "more than one personal-code field"),
        (_with(1, subject="Child!"), "short name"),
        (CHILD + [{"name": "t", "type": "text", "label_lv": "T", "subject": "child"}], "does not apply"),
        (_with(1, case_subject=True), "does not apply"),
        (_with(2, case_subject=True, required=True), "Only one personal code may be the case subject"),
        (_with(0, required=False), "must be required"),
        (_with(0, case_subject="yes"), "true or false"),
    ],
)
def test_bad_subjects_are_refused(definition, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        eform_definition_validate(definition)

    assert any(fragment in m for m in error.value.messages), error.value.messages


def test_a_birth_date_that_differs_from_the_personal_code_is_a_field_error():
    fields = eform_definition_validate(CHILD)

    with translation.override("lv"):
        result = eform_validate(
            definition=fields, data={"child_code": "030718-23455", "child_born": "2018-07-04"}
        )

    assert list(result.errors) == ["child_born"]
    assert "03.07.2018" in result.errors["child_born"][0]
    assert result.cleaned == {"child_code": "030718-23455"}


def test_a_birth_date_that_matches_the_personal_code_is_accepted():
    fields = eform_definition_validate(CHILD)

    result = eform_validate(definition=fields, data={"child_code": "03071823455", "child_born": "03.07.2018"})

    assert result.is_valid, result.errors


def test_a_new_format_code_carries_no_date_to_compare():
    fields = eform_definition_validate(CHILD)

    result = eform_validate(
        definition=fields, data={"child_code": "321234-56785", "child_born": "2018-07-04"}
    )

    assert result.is_valid, result.errors


def test_the_case_subject_is_the_marked_personal_code_normalised():
    fields = eform_definition_validate(CHILD)

    assert eform_case_subject(definition=fields, cleaned={"child_code": "03071823455"}) == "030718-23455"
    assert eform_case_subject(definition=fields, cleaned={}) is None
    assert eform_case_subject(definition=fields[1:], cleaned={"parent_code": "030718-23455"}) is None


def test_a_personal_code_born_in_the_future_is_refused_by_the_eform():
    fields = eform_definition_validate(CHILD)

    result = eform_validate(definition=fields, data={"child_code": "010130-21236"})

    assert "child_code" in result.errors and "child_code" not in result.cleaned


# --- dates bounded relative to today -----------------------------------------------------------------


def _date_field(**limits) -> list[dict]:
    return eform_definition_validate([{"name": "d", "type": "date", "label_lv": "D", **limits}])


def _check(fields, day: datetime.date) -> list[str]:
    return eform_validate(definition=fields, data={"d": day.isoformat()}).errors.get("d", [])


def test_not_in_future_accepts_today_and_refuses_tomorrow_naming_today_the_latvian_way():
    fields = _date_field(not_in_future=True)
    today = timezone.localdate()

    with translation.override("lv"):
        refused = _check(fields, today + datetime.timedelta(days=1))

    assert _check(fields, today) == []
    assert len(refused) == 1 and today.strftime("%d.%m.%Y") in refused[0]


def test_not_in_past_accepts_today_and_refuses_yesterday():
    fields = _date_field(not_in_past=True)
    today = timezone.localdate()

    assert _check(fields, today) == []
    assert _check(fields, today - datetime.timedelta(days=1))


def test_max_months_ago_accepts_the_first_day_and_refuses_the_day_before():
    fields = _date_field(not_in_future=True, max_months_ago=12)
    earliest = shift_months(timezone.localdate(), -12)

    with translation.override("en"):
        refused = _check(fields, earliest - datetime.timedelta(days=1))

    assert _check(fields, earliest) == []
    assert (
        refused == [f"Enter a date not earlier than {date_shown(earliest)} (at most 12 months ago)."]
        and str(earliest.year) in refused[0]
    )


def test_max_months_ahead_accepts_the_last_day_and_refuses_the_day_after():
    fields = _date_field(not_in_past=True, max_months_ahead=6)
    latest = shift_months(timezone.localdate(), 6)

    assert _check(fields, latest) == []
    assert _check(fields, latest + datetime.timedelta(days=1))


def test_the_tightest_limit_speaks():
    fields = _date_field(min="1990-01-01", max_months_ago=12)
    earliest = shift_months(timezone.localdate(), -12)

    with translation.override("lv"):
        refused = _check(fields, datetime.date(1985, 1, 1))

    assert earliest.strftime("%d.%m.%Y") in refused[0] and "1990" not in refused[0]
    assert eform_date_bounds(fields[0]) == (earliest, None)


@pytest.mark.parametrize("language, shown", [("lv", "01.01.1990."), ("en", "1 January 1990")])
def test_absolute_limits_are_shown_in_the_page_language_not_iso(language, shown):
    fields = _date_field(min="1990-01-01", max="2000-12-31")

    with translation.override(language):
        too_early = _check(fields, datetime.date(1989, 12, 31))
        too_late = _check(fields, datetime.date(2001, 1, 1))

    assert shown in too_early[0] and "1990-01-01" not in too_early[0]
    assert "2000-12-31" not in too_late[0]


def test_latvian_dates_are_day_month_year_with_leading_zeros():
    # Django's own Latvian SHORT_DATE_FORMAT would give 3.07.2018 (portal.formats: 03.07.2018.)
    with translation.override("lv"):
        assert date_shown(datetime.date(2018, 7, 3)) == "03.07.2018."


def test_shifting_months_keeps_the_day_or_takes_the_month_end():
    assert shift_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)
    assert shift_months(datetime.date(2024, 1, 15), -12) == datetime.date(2023, 1, 15)
    assert shift_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


@pytest.mark.parametrize(
    "limits, fragment",
    [
        ({"not_in_future": "yes"}, "true or false"),
        ({"max_months_ago": 0}, "whole number of months"),
        ({"max_months_ago": "12"}, "whole number of months"),
        ({"max_months_ahead": True}, "whole number of months"),
        ({"max_months_ago": 1201}, "whole number of months"),
        ({"not_in_future": True, "not_in_past": True}, "contradict"),
        ({"not_in_future": True, "max_months_ahead": 3}, "contradict"),
        ({"not_in_past": True, "max_months_ago": 3}, "contradict"),
    ],
)
def test_bad_relative_date_limits_are_refused(limits, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _date_field(**limits)

    assert any(fragment in m for m in error.value.messages), error.value.messages


@pytest.mark.parametrize("key, value", [("not_in_future", True), ("max_months_ago", 12)])
def test_relative_date_limits_apply_to_dates_only(key, value):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        eform_definition_validate([{"name": "n", "type": "number", "label_lv": "N", key: value}])

    assert any("does not apply" in m for m in error.value.messages)
