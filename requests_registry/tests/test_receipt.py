"""The receipt of a filed application: a printable page and a PDF, for exactly those who may open the
case page (and the staff of the agency handling it); 404 for everyone else, like a missing case."""

import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from delegation import services as delegation_services
from kernel.actors import Actor
from requests_registry import selectors
from requests_registry.exceptions import CaseNotFound
from requests_registry.models import CaseAttachment

from .factories import (
    AgencyFactory,
    CaseFactory,
    ParentChildFactory,
    ServiceFactory,
    UserFactory,
    login,
    staff_of,
)

pytestmark = pytest.mark.django_db

LATVIAN = "āčēģīķļņšūž"


def receipt_url(case, name: str = "case-receipt") -> str:
    return reverse(f"requests_registry:{name}", kwargs={"number": case.number})


def attach(case, name: str, field_name: str = "document", **kwargs) -> CaseAttachment:
    return CaseAttachment.objects.create(
        case=case,
        kind=kwargs.pop("kind", CaseAttachment.Kind.APPLICATION),
        field_name=field_name,
        file=f"cases/{name}",
        original_name=name,
        **kwargs,
    )


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def case(owner):
    case = CaseFactory(
        client_person=owner.person,
        service=ServiceFactory(title_lv="Bērna piedzimšanas pabalsts", agency=AgencyFactory(code="VSAA")),
        submitted_by=owner,
    )
    attach(case, "apliecība.pdf")
    return case


# --- what the receipt shows ----------------------------------------------------------------------


def test_owner_sees_every_field_and_file_name(client, owner, case):
    attach(case, "iekšējais.pdf", field_name="", kind=CaseAttachment.Kind.INTERNAL, visible_to_client=False)
    attach(case, "atbilde.pdf", field_name="", kind=CaseAttachment.Kind.CLIENT_ANSWER)
    login(client, owner)

    response = client.get(receipt_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    receipt = response.context["receipt"]
    assert [(f.label, f.value) for f in receipt.fields] == [
        ("Bērna personas kods", "030718-23455"),
        ("Bērna dzimšanas datums", "2018-07-03"),
        ("Komentārs", "Lūdzu"),
        ("Apliecinu, ka dati ir patiesi", "Jā"),
    ]
    assert [(f.label, f.name) for f in receipt.files] == [("Dokuments", "apliecība.pdf")]
    for text in (
        case.number,
        "Bērna piedzimšanas pabalsts",
        case.service.code,
        "Bērna personas kods",
        "030718-23455",
        "Lūdzu",
        "Dokuments",
        "apliecība.pdf",
        case.planned_completion.strftime("%d.%m.%Y."),
        f"http://testserver{case.get_absolute_url()}",
        reverse("requests_registry:case-receipt-pdf", kwargs={"number": case.number}),
    ):
        assert text in html, text
    # only what was filed with the application: not the agency's files, not later answers
    assert "iekšējais.pdf" not in html and "atbilde.pdf" not in html


def test_labels_and_service_in_the_page_language(client, owner, case):
    case.service.title_en = "Childbirth benefit"
    case.service.save(update_fields=["title_en"])
    login(client, owner)
    client.cookies["django_language"] = "en"

    html = client.get(receipt_url(case)).content.decode()

    assert "Childbirth benefit" in html
    assert "Child&#x27;s personal code" in html and "Document" in html and "apliecība.pdf" in html


def test_case_page_links_to_the_receipt(client, owner, case):
    login(client, owner)

    html = client.get(case.get_absolute_url()).content.decode()

    assert f'href="{receipt_url(case)}"' in html


def test_opening_the_receipt_is_kept_as_a_read_of_the_case(client, owner, case):
    login(client, owner)

    client.get(receipt_url(case))

    event = AuditEvent.objects.get(action="case.view")
    assert event.data["number"] == case.number and event.data["reader"] == "client"


# --- the PDF -------------------------------------------------------------------------------------


def _pdf_text_sources(pdf: bytes) -> bytes:
    """The PDF's streams, inflated (the ToUnicode maps name the characters the text uses)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_pdf_is_a_weasyprint_pdf_with_the_number_and_latvian_letters(client, owner, case):
    case.data = {**case.data, "comment": f"Burti: {LATVIAN} {LATVIAN.upper()}"}
    case.save(update_fields=["data"])
    login(client, owner)

    response = client.get(receipt_url(case, "case-receipt-pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"kvits-{case.number}.pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    inflated = _pdf_text_sources(pdf)
    assert b"WeasyPrint" in inflated
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", inflated), "DejaVu Sans embedded (subset)"
    assert b"/FontFile" in inflated
    # the case page's address, a link in the PDF, carries the number
    assert f"/cases/{case.number}/".encode() in inflated
    # the characters the text is drawn with (the font's ToUnicode map): the number and the letters
    for char in case.number + LATVIAN + LATVIAN.upper():
        code = f"{ord(char):04X}".encode()
        assert re.search(rb"<" + code + rb">", inflated, re.I), f"{char!r} is in the text"


# --- who may open it -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["case-receipt", "case-receipt-pdf"])
def test_stranger_gets_not_found(client, case, name):
    login(client, UserFactory())

    response = client.get(receipt_url(case, name))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.view").exists()


def test_missing_and_malformed_numbers_are_not_found(client, owner, case):
    login(client, owner)
    missing = case.number[:-1] + ("0" if case.number[-1] != "0" else "1")

    assert client.get(f"/cases/{missing}/receipt/").status_code == 404
    assert client.get(f"/cases/{missing}/receipt.pdf").status_code == 404
    for malformed in ("abc", "1011-12", f"{case.number}0", f"x{case.number}"):
        assert client.get(f"/cases/{malformed}/receipt/").status_code == 404
    with pytest.raises(CaseNotFound):
        selectors.case_receipt_for_user(actor=Actor(user=owner), number="../1011-5000001")


def test_delegate_sees_the_receipt_of_a_delegated_service_only(client, owner, case):
    other_case = CaseFactory(client_person=owner.person)
    delegate = UserFactory()
    delegation_services.delegation_grant(
        principal=owner.person, agent=delegate.person, actor=Actor(user=owner), services=[other_case.service]
    )
    login(client, delegate)

    assert client.get(receipt_url(case)).status_code == 404
    assert client.get(receipt_url(case, "case-receipt-pdf")).status_code == 404
    assert client.get(receipt_url(other_case)).status_code == 200


def test_parent_sees_the_receipt_of_a_minor_childs_case(client):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    case = CaseFactory(client_person=link.child, service=ServiceFactory(minor_may_be_client=True))
    login(client, parent)

    response = client.get(receipt_url(case))

    assert response.status_code == 200
    assert response.context["receipt"].number == case.number


def test_receipt_needs_login(client, case):
    response = client.get(receipt_url(case))

    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_staff_of_the_agency_reprint_it_others_get_not_found(client, case):
    staff, other_staff = staff_of(case.service.agency), staff_of(AgencyFactory(code="PMLP"))
    login(client, staff)

    page = client.get(receipt_url(case, "agency-case-receipt"))
    pdf = client.get(receipt_url(case, "agency-case-receipt-pdf"))
    citizen_url = client.get(receipt_url(case))

    assert page.status_code == 200 and "apliecība.pdf" in page.content.decode()
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert citizen_url.status_code == 404  # the client's address is for whoever may act for the client
    event = AuditEvent.objects.filter(action="case.view").latest("pk")
    assert event.data["reader"] == "official"
    login(client, other_staff)
    assert client.get(receipt_url(case, "agency-case-receipt")).status_code == 404
    assert client.get(receipt_url(case, "agency-case-receipt-pdf")).status_code == 404


# --- a fixed number of queries -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["case-receipt", "agency-case-receipt"])
def test_fixed_query_count(client, owner, case, name, django_assert_num_queries):
    who = owner if name == "case-receipt" else staff_of(case.service.agency)
    login(client, who)
    client.get(receipt_url(case, name))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(receipt_url(case, name)).status_code == 200
    expected = len(few.captured_queries)

    # the same parties (a case page reads each one it has by primary key), many more files
    big = CaseFactory(client_person=owner.person, service=case.service, submitted_by=case.submitted_by)
    for n in range(15):
        attach(big, f"pielikums-{n}.pdf")
        attach(big, f"atbilde-{n}.pdf", field_name="", kind=CaseAttachment.Kind.CLIENT_ANSWER)
    with django_assert_num_queries(expected):
        response = client.get(receipt_url(big, name))
    assert response.status_code == 200 and len(response.context["receipt"].files) == 15
    # now 5: the user, the case (with its client), its submitter, its files, the read kept
    assert expected <= 8
