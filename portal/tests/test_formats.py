"""Dates as each language writes them (portal.formats): Latvian 30.11.2026. and 30.11.2026. 14:05,
English 30 Nov 2026 and 30 November 2026; the date field takes the Latvian form with its full stop."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

DAY = datetime.date(2026, 11, 3)
MOMENT = timezone.make_aware(datetime.datetime(2026, 11, 3, 14, 5))
TEMPLATE = Template(
    '{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ day|date }}|{{ moment }}'
)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("lv", "03.11.2026.|03.11.2026. 14:05|2026. gada 3. novembris|2026. gada 3. novembris, 14:05"),
        ("en", "3 Nov 2026|3 Nov 2026, 14:05|3 November 2026|3 November 2026, 14:05"),
    ],
)
def test_dates_read_as_the_language_writes_them(language, expected):
    with translation.override(language), timezone.override("Europe/Riga"):
        assert TEMPLATE.render(Context({"day": DAY, "moment": MOMENT})) == expected


@pytest.mark.parametrize("typed", ["2026-11-03", "03.11.2026.", "03.11.2026"])
def test_a_latvian_date_field_takes_the_written_forms(typed):
    with translation.override("lv"):
        assert forms.DateField().clean(typed) == DAY
