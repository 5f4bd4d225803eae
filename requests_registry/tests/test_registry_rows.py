"""The case lists' rows are written in Python (`registry_rows`); they read as the template filter
would write them: an aware datetime in Riga time, not UTC."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from requests_registry.models import Case
from requests_registry.templatetags.registry_rows import local_date

from .factories import AgencyFactory, CaseFactory, ServiceFactory, UserFactory, login, staff_of

LATE_UTC = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 2 December, 01:30 in Riga
SUMMER_UTC = datetime(2026, 6, 30, 21, 15, tzinfo=UTC)  # 1 July, 00:15 in Riga (EEST)


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize(
    "value, format_name",
    [
        (LATE_UTC, "SHORT_DATETIME_FORMAT"),
        (LATE_UTC, "SHORT_DATE_FORMAT"),
        (SUMMER_UTC, "SHORT_DATETIME_FORMAT"),
        (SUMMER_UTC, "SHORT_DATE_FORMAT"),
        (date(2026, 12, 1), "SHORT_DATE_FORMAT"),
        (None, "SHORT_DATE_FORMAT"),
    ],
)
def test_a_date_reads_as_the_template_filter_writes_it(language, value, format_name):
    template = engines["django"].from_string("{{ value|date:format_name }}")
    with translation.override(language):
        assert local_date(value, format_name) == template.render({"value": value, "format_name": format_name})


@pytest.mark.django_db
def test_the_lists_show_a_late_evening_case_on_the_next_day_in_riga(client):
    # given a case filed and changed at 23:30 UTC on 1 December: 01:30 on 2 December in Riga
    agency = AgencyFactory()
    user = UserFactory()
    case = CaseFactory(client_person=user.person, service=ServiceFactory(agency=agency))
    Case.objects.filter(pk=case.pk).update(created_at=LATE_UTC, updated_at=LATE_UTC)

    # then "my cases" gives the day it was filed in Riga
    login(client, user)
    row = _row(client.get(reverse("requests_registry:my-cases")).content.decode(), case.number)
    assert "02.12.2026." in row and "01.12.2026." not in row

    # and the agency's list the time of its last change in Riga
    login(client, staff_of(agency))
    row = _row(client.get(reverse("requests_registry:agency-case-list")).content.decode(), case.number)
    assert "02.12.2026. 01:30" in row


def _row(html: str, number: str) -> str:
    start = html.index(f">{number}<")
    return html[start : html.index("</tr>", start)]
