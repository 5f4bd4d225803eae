"""Working days in Latvia: weekends and public holidays (the `holidays` package, country "LV") are
skipped; a Saturday the government made a working day (a moved day off) counts as one."""

from __future__ import annotations

import datetime

import holidays


def latvian_calendar():
    return holidays.country_holidays("LV")


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (`start` itself not counted)."""
    if days < 1:
        raise ValueError("days must be positive")
    return latvian_calendar().get_nth_working_day(start, days)


def working_days_before(end: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day before `end` (`end` itself not counted)."""
    if days < 1:
        raise ValueError("days must be positive")
    return latvian_calendar().get_nth_working_day(end, -days)


def working_days_from(start: datetime.date, days: int) -> datetime.date:
    """As `working_days_after`, and `start` itself for 0 days (a deadline of "today")."""
    if days < 0:
        raise ValueError("days must not be negative")
    return start if days == 0 else working_days_after(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days there are after `start` up to and including `end` (0 if `end` is not
    after `start`): a case that waited from Friday to Monday waited 1 working day."""
    if end <= start:
        return 0
    return latvian_calendar().get_working_days_count(start + datetime.timedelta(days=1), end)


def is_working_day(day: datetime.date) -> bool:
    return latvian_calendar().is_working_day(day)
