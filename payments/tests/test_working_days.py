"""Due dates run in Latvian working days: weekends and public holidays are skipped."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from payments import services
from payments.constants import DUE_WORKING_DAYS
from payments.working_days import is_working_day, working_days_after

RIGA = ZoneInfo("Europe/Riga")


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


@pytest.mark.django_db
def test_an_invoice_is_due_ten_working_days_after_issue(monkeypatch, case, issue):
    issued = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=RIGA)
    monkeypatch.setattr("payments.services.invoices.timezone.now", lambda: issued)

    invoice = issue(case)

    assert DUE_WORKING_DAYS == 10
    # 18 Nov skipped, two weekends skipped: 19, 20, 23, 24, 25, 26, 27, 30 Nov, 1, 2 Dec
    assert invoice.due_date == datetime.date(2026, 12, 2)
    assert invoice.due_date == services.invoice_due_date(issued_on=issued.date())
