"""Dates of an e-form: reading what a citizen typed, the bounds of a date field (absolute ones from
the definition and ones relative to today), and showing a date the way the page's language writes it."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

from .vocabulary import (
    DATE_FORMATS,
    MAX_MONTHS_AGO,
    MAX_MONTHS_AHEAD,
    NOT_IN_FUTURE,
    NOT_IN_PAST,
)


def iso_date(value: Any) -> datetime.date | None:
    """A definition's date ("YYYY-MM-DD"), or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_date(value: str) -> datetime.date | None:
    """A date as a citizen may type it (see DATE_FORMATS), or None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def date_shown(day: datetime.date) -> str:
    """A date for a message, in the active language: 03.07.2018. in Latvian (the portal's
    SHORT_DATE_FORMAT, portal.formats); other languages get their DATE_FORMAT (English:
    "3 July 2018"), which no reader can misread.
    """
    if (get_language() or "").startswith("lv"):
        return date_format(day, "SHORT_DATE_FORMAT")
    return date_format(day, "DATE_FORMAT")


@dataclass(frozen=True)
class DateBound:
    """One limit of a date field: the day, and the key of the definition it comes from."""

    day: datetime.date
    key: str

    def message(self, field: Mapping[str, Any]) -> str:
        shown = date_shown(self.day)
        if self.key == "min":
            return gettext("Enter a date not earlier than %(min)s.") % {"min": shown}
        if self.key == "max":
            return gettext("Enter a date not later than %(max)s.") % {"max": shown}
        if self.key == NOT_IN_PAST:
            return gettext("Enter a date not earlier than today (%(date)s).") % {"date": shown}
        if self.key == NOT_IN_FUTURE:
            return gettext("Enter a date not later than today (%(date)s).") % {"date": shown}
        months = field[self.key]
        if self.key == MAX_MONTHS_AGO:
            return ngettext(
                "Enter a date not earlier than %(date)s (at most %(months)s month ago).",
                "Enter a date not earlier than %(date)s (at most %(months)s months ago).",
                months,
            ) % {"date": shown, "months": months}
        return ngettext(
            "Enter a date not later than %(date)s (at most %(months)s month ahead).",
            "Enter a date not later than %(date)s (at most %(months)s months ahead).",
            months,
        ) % {"date": shown, "months": months}


def _earliest(field: Mapping[str, Any], today: datetime.date) -> DateBound | None:
    bounds = []
    if iso_date(field.get("min")):
        bounds.append(DateBound(iso_date(field["min"]), "min"))
    if field.get(NOT_IN_PAST):
        bounds.append(DateBound(today, NOT_IN_PAST))
    if field.get(MAX_MONTHS_AGO):
        bounds.append(DateBound(shift_months(today, -field[MAX_MONTHS_AGO]), MAX_MONTHS_AGO))
    return max(bounds, key=lambda b: b.day, default=None)


def _latest(field: Mapping[str, Any], today: datetime.date) -> DateBound | None:
    bounds = []
    if iso_date(field.get("max")):
        bounds.append(DateBound(iso_date(field["max"]), "max"))
    if field.get(NOT_IN_FUTURE):
        bounds.append(DateBound(today, NOT_IN_FUTURE))
    if field.get(MAX_MONTHS_AHEAD):
        bounds.append(DateBound(shift_months(today, field[MAX_MONTHS_AHEAD]), MAX_MONTHS_AHEAD))
    return min(bounds, key=lambda b: b.day, default=None)


def eform_date_bounds(
    field: Mapping[str, Any], *, today: datetime.date | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The earliest and latest date a date field accepts on `today` (default: the local date), the
    absolute and the relative limits together; None where it has none. For an input's min/max."""
    today = today or timezone.localdate()
    earliest, latest = _earliest(field, today), _latest(field, today)
    return (earliest.day if earliest else None, latest.day if latest else None)


def date_refusal(field: Mapping[str, Any], day: datetime.date, *, today: datetime.date) -> str | None:
    """Why `day` is outside the field's limits (the tightest limit it breaks), or None when it is inside."""
    earliest = _earliest(field, today)
    if earliest is not None and day < earliest.day:
        return earliest.message(field)
    latest = _latest(field, today)
    if latest is not None and day > latest.day:
        return latest.message(field)
    return None
