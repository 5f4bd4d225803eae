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


def is_working_day(day: datetime.date) -> bool:
    return latvian_calendar().is_working_day(day)
