"""An invoice is due in Latvian working days (kernel.working_days): weekends and holidays skipped."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from payments import services
from payments.constants import DUE_WORKING_DAYS

RIGA = ZoneInfo("Europe/Riga")


@pytest.mark.django_db
def test_an_invoice_is_due_ten_working_days_after_issue(monkeypatch, case, issue):
    issued = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=RIGA)
    monkeypatch.setattr("payments.services.invoices.timezone.now", lambda: issued)

    invoice = issue(case)

    assert DUE_WORKING_DAYS == 10
    # 18 Nov skipped, two weekends skipped: 19, 20, 23, 24, 25, 26, 27, 30 Nov, 1, 2 Dec
    assert invoice.due_date == datetime.date(2026, 12, 2)
    assert invoice.due_date == services.invoice_due_date(issued_on=issued.date())
