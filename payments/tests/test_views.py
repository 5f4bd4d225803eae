"""The payer's invoice pages: seen by whoever may see the case (the client, a parent of a minor
client, a delegate for that service), "not found" for everyone else; fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegation import services as delegation_services
from kernel.actors import Actor
from payments import selectors
from requests_registry.tests.factories import (
    CaseFactory,
    ParentChildFactory,
    ServiceFactory,
    UserFactory,
    login,
)

pytestmark = pytest.mark.django_db


def detail_url(invoice):
    return reverse("payments:invoice-detail", kwargs={"pk": invoice.pk})


def pdf_url(invoice):
    return reverse("payments:invoice-pdf", kwargs={"pk": invoice.pk})


@pytest.fixture
def invoice(case, issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = issue(case)
    made.refresh_from_db()
    return made


def _who(kind, *, case, fee_service):
    if kind == "delegate for the service":
        agent = UserFactory()
        principal_user = UserFactory(person=case.client_person)
        delegation_services.delegation_grant(
            principal=case.client_person,
            agent=agent.person,
            actor=Actor(user=principal_user),
            services=[fee_service],
        )
        return agent
    if kind == "delegate for another service":
        agent = UserFactory()
        principal_user = UserFactory(person=case.client_person)
        delegation_services.delegation_grant(
            principal=case.client_person,
            agent=agent.person,
            actor=Actor(user=principal_user),
            services=[ServiceFactory()],
        )
        return agent
    return UserFactory()  # a stranger


def test_the_owner_sees_the_list_the_invoice_and_the_pdf(client, owner, invoice):
    login(client, owner)

    listing = client.get(reverse("payments:invoice-list"))
    page = client.get(detail_url(invoice))
    pdf = client.get(pdf_url(invoice))

    assert listing.status_code == 200 and invoice.reference_display in listing.content.decode()
    body = page.content.decode()
    assert page.status_code == 200
    assert invoice.reference_display in body and invoice.payee.iban_display in body
    assert '<svg role="img"' in body  # the EPC QR code, inline (the CSP allows no data: images)
    assert reverse("payments:invoice-pdf", kwargs={"pk": invoice.pk}) in body
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert f"rekins-{invoice.reference}.pdf" in pdf["Content-Disposition"]


def test_a_parent_sees_the_invoice_of_a_minor_child(client, fee_service, issue):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    invoice = issue(CaseFactory(service=fee_service, client_person=link.child))
    login(client, parent)

    assert client.get(detail_url(invoice)).status_code == 200


def test_a_delegate_for_the_service_sees_it(client, case, fee_service, invoice):
    login(client, _who("delegate for the service", case=case, fee_service=fee_service))

    assert client.get(detail_url(invoice)).status_code == 200
    assert client.get(pdf_url(invoice)).status_code == 200


@pytest.mark.parametrize("kind", ["delegate for another service", "stranger"])
def test_others_get_not_found(client, case, fee_service, invoice, kind):
    login(client, _who(kind, case=case, fee_service=fee_service))

    assert client.get(detail_url(invoice)).status_code == 404
    assert client.get(pdf_url(invoice)).status_code == 404
    listing = client.get(reverse("payments:invoice-list"))
    assert invoice.reference_display not in listing.content.decode()


def test_a_missing_invoice_is_not_found(client, owner):
    login(client, owner)

    assert client.get(reverse("payments:invoice-detail", kwargs={"pk": 987654})).status_code == 404


def test_the_pdf_not_made_yet_is_not_found_and_the_page_says_so(client, owner, case, issue):
    invoice = issue(case)  # no commit in the test: the task has not run
    login(client, owner)

    page = client.get(detail_url(invoice))

    assert page.status_code == 200 and b'data-testid="invoice-pdf-pending"' in page.content
    assert client.get(pdf_url(invoice)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, invoice):
    response = client.get(detail_url(invoice))

    assert response.status_code == 302


@pytest.mark.parametrize("view", ["list", "detail"])
def test_fixed_query_counts(client, owner, fee_service, issue, view, django_assert_num_queries):
    def given(n):
        made = [issue(CaseFactory(service=fee_service, client_person=owner.person)) for _ in range(n)]
        login(client, owner)
        url = reverse("payments:invoice-list") if view == "list" else detail_url(made[-1])
        client.get(url)  # warm the session
        return url

    url = given(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)

    url = given(25)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    # the user (with their person) and the invoices with their cases: one query (the session and
    # whom the user may act for are read from the cache once warm); the invoice page also reads
    # the invoice's payments
    assert expected == (2 if view == "list" else 3)


def test_the_invoices_a_user_sees_are_read_by_a_join_on_the_case(owner, fee_service, issue):
    """As `case_list_for_user` decides (`case_condition_for_user`), without a subquery of case ids."""
    mine = issue(CaseFactory(service=fee_service, client_person=owner.person))
    issue(CaseFactory(service=fee_service))  # someone else's
    invoices = selectors.invoice_list_for_user(user=owner)

    assert list(invoices) == [mine]
    assert str(invoices.query).count("SELECT") == 1, str(invoices.query)
    assert selectors.invoice_get_for_user(user=owner, invoice_id=mine.pk) == mine
