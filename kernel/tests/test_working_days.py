"""Due dates run in Latvian working days: weekends and public holidays are skipped."""

import datetime

import pytest

from kernel.working_days import (
    is_working_day,
    working_days_after,
    working_days_before,
    working_days_between,
    working_days_from,
)


def test_a_weekend_is_skipped():
    friday = datetime.date(2026, 11, 6)

    assert working_days_after(friday, 1) == datetime.date(2026, 11, 9)  # Monday


def test_the_proclamation_day_is_skipped():
    tuesday = datetime.date(2026, 11, 17)  # 18 November 2026 is a Wednesday and a public holiday

    assert not is_working_day(datetime.date(2026, 11, 18))
    assert working_days_after(tuesday, 1) == datetime.date(2026, 11, 19)


def test_the_first_and_fourth_of_may_and_the_weekend_between_are_skipped():
    thursday = datetime.date(2026, 4, 30)  # 1 May (Fri) and 4 May (Mon) are public holidays

    assert working_days_after(thursday, 1) == datetime.date(2026, 5, 5)


def test_zero_days_from_a_day_is_that_day():
    tuesday = datetime.date(2026, 11, 17)

    assert working_days_from(tuesday, 0) == tuesday
    assert working_days_from(tuesday, 1) == datetime.date(2026, 11, 19)


def test_no_negative_number_of_working_days():
    with pytest.raises(ValueError):
        working_days_from(datetime.date(2026, 11, 17), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2026, 11, 13), datetime.date(2026, 11, 16), 1),  # Friday to Monday
        (datetime.date(2026, 11, 17), datetime.date(2026, 11, 20), 2),  # 18 November skipped
        (datetime.date(2026, 11, 9), datetime.date(2026, 11, 13), 4),  # a plain week, start not counted
        (datetime.date(2026, 12, 31), datetime.date(2027, 1, 4), 1),  # New Year and a weekend
        (datetime.date(2026, 11, 17), datetime.date(2026, 11, 17), 0),  # the same day
        (datetime.date(2026, 11, 20), datetime.date(2026, 11, 17), 0),  # the end before the start
    ],
)
def test_working_days_between_counts_after_the_start_up_to_the_end(start, end, expected):
    assert working_days_between(start, end) == expected


def test_working_days_between_undoes_working_days_after():
    start = datetime.date(2026, 6, 19)  # Friday before Midsummer (23 and 24 June)

    for days in range(1, 30):
        assert working_days_between(start, working_days_after(start, days)) == days


def test_working_days_before_skips_the_proclamation_day_and_the_weekend():
    monday = datetime.date(2026, 11, 23)

    assert working_days_before(monday, 3) == datetime.date(2026, 11, 17)  # Fri 20, Thu 19, Tue 17
