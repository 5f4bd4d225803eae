"""The dashboard (/account/dashboard/): what needs the person's action, open cases, unread messages and
the latest results, for whoever they act for now, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from delegation import services as delegation_services
from eaccount.inbox import message_send
from kernel.actors import Actor
from payments import services as payment_services
from payments.constants import InvoiceKind
from payments.tests.factories import FeeServiceFactory
from requests_registry.constants import CaseStatus
from requests_registry.tests.factories import (
    CaseFactory,
    ParentChildFactory,
    ServiceFactory,
    UserFactory,
    login,
)

pytestmark = pytest.mark.django_db

URL = "/account/dashboard/"


def needs_info(client_person, *, service=None, question="Lūdzu, norādiet, vai bērns dzīvo kopā ar Jums."):
    case = CaseFactory(
        client_person=client_person, status=CaseStatus.NEEDS_INFO, **({"service": service} if service else {})
    )
    case.status_changes.filter(seq=2).update(note=question)
    return case


def completed(client_person, **kwargs):
    return CaseFactory(
        client_person=client_person, status=CaseStatus.COMPLETED, completed_at=timezone.now(), **kwargs
    )


def section(content: str, name: str) -> str:
    start = content.index(f'data-testid="dashboard-{name}"')
    return content[start : content.index("</section>", start)]


def get(client, url=URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def anna(client):
    user = UserFactory(person__first_name="Anna", person__last_name="Bērziņa")
    login(client, user)
    client.cookies["django_language"] = "en"
    return user


def test_anna_sees_each_section_with_links(client, anna):
    # given Anna's case waiting for her answer (with a later, internal note the client must not see),
    # an open case with a planned date, a completed case and a message
    asked = needs_info(anna.person)
    asked.status_changes.create(
        seq=3,
        from_status="needs_info",
        to_status="needs_info",
        note="Iekšēja piezīme",
        visible_to_client=False,
    )
    open_case = CaseFactory(
        client_person=anna.person,
        status=CaseStatus.IN_PROGRESS,
        planned_completion=datetime.date(2031, 5, 17),
    )
    done = completed(anna.person)
    message = message_send(
        to=anna.person, sender_label="VSAA", subject="Jūsu iesniegums saņemts", link_url="/cases/"
    )

    content = get(client)

    action = section(content, "needs-action")
    assert "Lūdzu, norādiet, vai bērns dzīvo kopā ar Jums." in action
    assert "Iekšēja piezīme" not in content
    assert f'href="/cases/{asked.number}/#needs-info-title"' in action
    opened = section(content, "open-cases")
    assert f'href="/cases/{open_case.number}/"' in opened
    assert "17 May 2031" in opened
    assert "The agency is examining your application" in opened
    assert asked.number in opened  # waiting for information is still an open case
    assert "Answer the agency&#x27;s question." in opened
    assert done.number not in opened
    messages = section(content, "messages")
    assert "Unread messages (1)" in messages
    assert f'href="/account/inbox/messages/{message.pk}/">Jūsu iesniegums saņemts' in messages
    assert f'href="{reverse("eaccount:inbox")}"' in messages
    results = section(content, "results")
    assert f'href="/cases/{done.number}/"' in results
    assert "dashboard-empty" not in content


def test_sections_show_five_items_and_a_link_to_all(client, anna):
    cases = [needs_info(anna.person) for _ in range(7)]

    action = section(get(client), "needs-action")

    assert "Needs your action (7)" in action
    assert action.count("<li>") == 5
    assert "/cases/?status=needs_info" in action
    # newest first
    assert cases[-1].number in action and cases[0].number not in action


def test_latest_results_newest_first(client, anna):
    older = completed(anna.person)
    older.completed_at = timezone.now() - datetime.timedelta(days=30)
    older.save()
    newer = completed(anna.person)

    results = section(get(client), "results")

    assert results.index(newer.number) < results.index(older.number)


def test_acting_for_her_child_shows_his_cases_only(client, anna):
    child = ParentChildFactory(parent=anna.person).child
    annas = needs_info(anna.person)
    childs = CaseFactory(client_person=child, status=CaseStatus.REGISTERED)
    message_send(to=anna.person, sender_label="VID", subject="Annas ziņa")
    message_send(to=child, sender_label="PMLP", subject="Jāņa ziņa")

    client.post(reverse("delegation:act-for"), {"principal": f"person:{child.pk}"})
    content = get(client)

    assert childs.number in section(content, "open-cases")
    assert annas.number not in content
    assert "Jāņa ziņa" in content and "Annas ziņa" not in content
    assert "You act for" in section_principal(content)


def section_principal(content: str) -> str:
    start = content.index('data-testid="dashboard-principal"')
    return content[start : content.index("</p>", start)]


def test_a_delegate_sees_only_the_delegated_services(client):
    grantor = UserFactory()
    agent = UserFactory()
    listed, other = ServiceFactory(), ServiceFactory()
    delegation_services.delegation_grant(
        principal=grantor.person, agent=agent.person, actor=Actor(user=grantor), services=[listed]
    )
    shown = needs_info(grantor.person, service=listed)
    hidden = needs_info(grantor.person, service=other, question="Slepens jautājums")
    message_send(to=grantor.person, sender_label="VSAA", subject="Par deleģēto", service_code=listed.code)
    message_send(to=grantor.person, sender_label="VID", subject="Par citu", service_code=other.code)
    message_send(to=grantor.person, sender_label="VID", subject="Vispārīga ziņa")
    login(client, agent)
    client.cookies["django_language"] = "en"

    client.post(reverse("delegation:act-for"), {"principal": f"person:{grantor.person.pk}"})
    content = get(client)

    assert shown.number in section(content, "needs-action")
    assert hidden.number not in content and "Slepens jautājums" not in content
    assert "Par deleģēto" in content
    assert "Par citu" not in content and "Vispārīga ziņa" not in content
    assert "Under a delegation" in content


def test_a_strangers_data_never_appears(client, anna):
    stranger = UserFactory().person
    theirs = [needs_info(stranger, question="Svešs jautājums"), completed(stranger)]
    CaseFactory(client_person=stranger, status=CaseStatus.IN_PROGRESS)
    message_send(to=stranger, sender_label="VID", subject="Sveša ziņa")

    content = get(client)

    assert all(case.number not in content for case in theirs)
    assert "Svešs jautājums" not in content and "Sveša ziņa" not in content
    assert 'data-testid="dashboard-empty"' in content


def test_empty_states_say_what_to_do_next(client, anna):
    content = get(client)

    assert 'data-testid="dashboard-empty"' in content
    assert f'href="{reverse("catalogue:index")}"' in content
    assert "Nothing needs your action now." in section(content, "needs-action")
    assert "No open cases." in section(content, "open-cases")
    assert "No unread messages." in section(content, "messages")
    assert "No results yet." in section(content, "results")


def test_opens_in_latvian(client, anna):
    client.cookies["django_language"] = "lv"
    content = get(client)
    assert '<html lang="lv"' in content


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("eaccount:login"))
    assert "next=%2Faccount%2Fdashboard%2F" in response.url


def test_a_low_assurance_session_is_asked_to_log_in_again(client):
    login(client, UserFactory(), level="low")

    response = client.get(URL)

    assert response.status_code == 302 and response.url.startswith(reverse("eaccount:login"))


def test_login_lands_on_the_dashboard(settings):
    assert reverse(settings.LOGIN_REDIRECT_URL) == URL


def _fill(person, n: int, *, fee_service):
    for _ in range(n):
        needs_info(person)
        CaseFactory(client_person=person, status=CaseStatus.IN_PROGRESS)
        completed(person)
        message_send(to=person, sender_label="VSAA", subject="Ziņa")
        # from the agency itself (its name is read with the message) and with an invoice to pay
        message_send(to=person, sender_label="", subject="Rēķins", service_code=fee_service.code)
        to_pay = CaseFactory(client_person=person, service=fee_service, status=CaseStatus.AWAITING_PAYMENT)
        payment_services.invoice_issue(actor=Actor.system("tests"), case=to_pay, kind=InvoiceKind.PREPAYMENT)


# the user (the session is cached); the five lists (invoices to pay too), each with its total; the
# agency's questions
DASHBOARD_QUERIES = 7


@pytest.mark.parametrize("acting_for_child", [False, True], ids=["self", "child"])
def test_a_fixed_number_of_queries_whatever_the_data(
    client, anna, django_assert_num_queries, acting_for_child
):
    person = anna.person
    if acting_for_child:
        person = ParentChildFactory(parent=anna.person).child
        client.post(reverse("delegation:act-for"), {"principal": f"person:{person.pk}"})
    fee_service = FeeServiceFactory(title_lv="Izziņa", title_en="Certificate")
    _fill(person, 1, fee_service=fee_service)
    get(client)  # warm: the user's roles and principals are read once and cached

    with django_assert_num_queries(DASHBOARD_QUERIES):
        get(client)
    _fill(person, 12, fee_service=fee_service)
    get(client)  # the new messages made the header's unread count stale: counted once, then cached
    with django_assert_num_queries(DASHBOARD_QUERIES):
        content = get(client)
    assert "Needs your action (13)" in content
    # each card shows what it showed before the lists read only their cards' columns
    to_pay = section(content, "to-pay")
    assert "To pay (13)" in to_pay and to_pay.count(">Certificate</a></h3>") == 5
    assert "4.27&nbsp;EUR" in to_pay and "RF" in to_pay
    messages = section(content, "messages")
    # with the invoice's own notice, three a round; of the newest five, four name the agency
    assert "Unread messages (39)" in messages and messages.count(fee_service.agency.name_en) == 4
    assert messages.count("VSAA") == 1
    assert "Open cases (39)" in section(content, "open-cases")  # waiting for information or payment too
    results = section(content, "results")
    with translation.override("en"):
        completed_on = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert results.count(f" · {completed_on}</p>") == 5
