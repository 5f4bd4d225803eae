"""The rows of the case lists, rendered in Python: one format_html per row instead of a template
(and an include) per row and cell. The same cells as the table headings in the list templates;
dates through the `date` filter in Riga time (`local_date`), so they read exactly as in templates."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime

register = template.Library()

STATUS = '<span class="status status-{}">{}</span>'
_SAMPLE_NUMBER = "0000-0000000"


def _case_url(view_name: str):
    """The URL of a case page for each number, reversed once per list rather than once per row."""
    before, after = reverse(view_name, kwargs={"number": _SAMPLE_NUMBER}).split(_SAMPLE_NUMBER)
    return lambda number: f"{before}{number}{after}"


def _assignee(case) -> str:
    """A row of `case_rows(for_staff=True)` carries the label; any other case names its user."""
    if hasattr(case, "assignee_label"):
        return case.assignee_label or "—"
    return case.assigned_to or "—"


def local_date(value, format_name: str) -> str:
    """`{{ value|date:format_name }}`: a template turns an aware datetime into local time (Riga)
    before the filter sees it; the filter called from Python does not, so this does."""
    return date_filter(template_localtime(value), format_name)


def _status(case) -> str:
    return format_html(STATUS, case.status, case.get_status_display())


@register.simple_tag
def agency_case_rows(cases) -> str:
    url = _case_url("requests_registry:agency-case-detail")
    return format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        (
            (
                url(case.number),
                case.number,
                case.service.code,
                case.service.title,
                case.client_label,
                _status(case),
                local_date(case.planned_completion, "SHORT_DATE_FORMAT"),
                _assignee(case),
                local_date(case.updated_at, "SHORT_DATETIME_FORMAT"),
            )
            for case in cases
        ),
    )


@register.simple_tag
def my_case_rows(cases) -> str:
    url = _case_url("requests_registry:case-detail")
    return format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                url(case.number),
                case.number,
                case.service.title,
                local_date(case.created_at, "SHORT_DATE_FORMAT"),
                _status(case),
                local_date(case.planned_completion, "SHORT_DATE_FORMAT"),
            )
            for case in cases
        ),
    )
