"""The SLA clock runs on Latvian working days, and it stops while the case waits for the client."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from catalogue.constants import PaymentMode
from kernel.actors import Actor
from requests_registry import services
from requests_registry.constants import Basis, CaseStatus, Channel

from .factories import VALID_DATA, CaseFactory, PersonFactory, ServiceFactory, UserFactory, staff_of

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")
S = CaseStatus


@pytest.fixture
def clock(monkeypatch):
    """Set the time (Riga, 10:00 of the given day); `timezone.now()` and `localdate()` follow it."""

    def set_day(day: datetime.date) -> None:
        moment = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=RIGA)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


def submit(service, user=None):
    user = user or UserFactory()
    return services.case_submit(
        service=service,
        client=user.person,
        actor=Actor(user=user, basis=Basis.SELF, channel=Channel.E_SERVICE),
        data=dict(VALID_DATA),
    )


def test_a_friday_filing_skips_the_weekend(clock):
    clock(datetime.date(2026, 11, 6))  # Friday

    case = submit(ServiceFactory(processing_days=3))

    assert case.planned_completion == datetime.date(2026, 11, 11)  # Mon 9, Tue 10, Wed 11


def test_a_filing_before_the_proclamation_day_skips_it(clock):
    clock(datetime.date(2026, 11, 17))  # Tuesday; 18 November is a public holiday

    case = submit(ServiceFactory(processing_days=2))

    assert case.planned_completion == datetime.date(2026, 11, 20)  # Thu 19, Fri 20


def test_a_filing_before_midsummer_skips_it(clock):
    clock(datetime.date(2026, 6, 22))  # Monday; 23 and 24 June are public holidays

    case = submit(ServiceFactory(processing_days=1))

    assert case.planned_completion == datetime.date(2026, 6, 25)


def test_no_processing_days_is_due_the_same_day(clock):
    clock(datetime.date(2026, 11, 6))

    case = submit(ServiceFactory(processing_days=0))

    assert case.planned_completion == datetime.date(2026, 11, 6)


def test_a_case_received_on_paper_runs_on_working_days_too(clock):
    clock(datetime.date(2026, 11, 6))  # Friday

    case = services.case_register_received(
        actor=Actor.system("API: VSAA", channel=Channel.POST),
        service=ServiceFactory(processing_days=5),
        client=PersonFactory(),
    )

    assert case.planned_completion == datetime.date(2026, 11, 13)  # 9, 10, 11, 12, 13


def test_waiting_three_working_days_for_the_client_moves_the_date_by_three(clock):
    user = UserFactory()
    clock(datetime.date(2026, 11, 6))  # Friday
    case = submit(ServiceFactory(processing_days=5), user=user)  # planned: Fri 13 November
    staff = Actor(user=staff_of(case.service.agency), channel=Channel.AGENCY)
    services.case_change_status(actor=staff, case=case, to=S.REGISTERED)
    services.case_change_status(actor=staff, case=case, to=S.IN_PROGRESS)
    clock(datetime.date(2026, 11, 9))  # Monday
    services.case_request_info(actor=staff, case=case, question="Which child?")
    clock(datetime.date(2026, 11, 12))  # Thursday: Tue, Wed, Thu waited

    services.case_answer_info(actor=Actor(user=user), case=case, answer="The younger one.")

    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    assert case.planned_completion == datetime.date(2026, 11, 19)  # 16, 17, 19 (18 Nov a holiday)


def test_an_answer_the_same_day_leaves_the_date(clock):
    user = UserFactory()
    clock(datetime.date(2026, 11, 9))
    case = CaseFactory(
        status=S.IN_PROGRESS, client_person=user.person, planned_completion=datetime.date(2026, 11, 20)
    )
    staff = Actor(user=staff_of(case.service.agency), channel=Channel.AGENCY)
    services.case_request_info(actor=staff, case=case, question="Which child?")

    services.case_answer_info(actor=Actor(user=user), case=case, answer="The younger one.")

    case.refresh_from_db()
    assert case.planned_completion == datetime.date(2026, 11, 20)


def test_waiting_over_a_weekend_counts_only_the_working_day(clock):
    user = UserFactory()
    clock(datetime.date(2026, 11, 6))  # Friday
    case = CaseFactory(
        status=S.IN_PROGRESS, client_person=user.person, planned_completion=datetime.date(2026, 11, 20)
    )
    staff = Actor(user=staff_of(case.service.agency), channel=Channel.AGENCY)
    services.case_request_info(actor=staff, case=case, question="Which child?")
    clock(datetime.date(2026, 11, 9))  # Monday

    services.case_answer_info(actor=Actor(user=user), case=case, answer="The younger one.")

    case.refresh_from_db()
    assert case.planned_completion == datetime.date(2026, 11, 23)


def test_waiting_for_the_payment_moves_the_date_too(clock):
    clock(datetime.date(2026, 11, 2))  # Monday
    service = ServiceFactory(fee_eur=Decimal("5.00"), payment_mode=PaymentMode.POSTPAYMENT)
    case = CaseFactory(service=service, status=S.IN_PROGRESS, planned_completion=datetime.date(2026, 11, 9))
    system = Actor.system("API: test")
    services.case_change_status(actor=system, case=case, to=S.AWAITING_PAYMENT)
    clock(datetime.date(2026, 11, 4))  # Wednesday: Tue, Wed waited

    services.case_payment_received(actor=system, case=case)

    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    assert case.planned_completion == datetime.date(2026, 11, 11)


def test_staff_moves_that_are_not_the_clients_turn_leave_the_date(clock):
    clock(datetime.date(2026, 11, 2))
    case = CaseFactory(status=S.REGISTERED, planned_completion=datetime.date(2026, 11, 9))
    clock(datetime.date(2026, 11, 5))

    services.case_change_status(actor=Actor.system("API: test"), case=case, to=S.IN_PROGRESS)

    case.refresh_from_db()
    assert case.planned_completion == datetime.date(2026, 11, 9)
