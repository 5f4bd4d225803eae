"""The authorised e-service (Reg. 401 point 22.1) through the specialist's pages: the seven duties in
order, each refused path, the two-copy authorisation and the receipt as real PDFs, filed once."""

import threading

import pypdfium2
import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditEvent
from catalogue.tests.factories import ServiceCentreFactory
from eaccount.constants import NoticeKind
from eaccount.models import NoticePreference
from eaccount.tests.factories import OrganisationFactory
from kernel.actors import Actor
from requests_registry import services as registry
from requests_registry.constants import Basis, CaseStatus, Channel
from requests_registry.models import Case
from requests_registry.tests.factories import (
    VALID_DATA,
    AgencyFactory,
    PersonFactory,
    ServiceFactory,
    StaffRoleFactory,
    UserFactory,
    login,
    staff_of,
)
from workplace import services as workplace_services
from workplace.constants import FilingStep, HandoverTarget, WorkplaceAction
from workplace.exceptions import FilingStepNotAllowed
from workplace.models import AuthorisedFiling, Handover, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return ServiceCentreFactory(name_lv="Valmieras VPVKAC", address="Rīgas iela 1, Valmiera")


@pytest.fixture
def ilze(centre):
    role = StaffRoleFactory(kind="centre_specialist", centre=centre, user__person__first_name="Ilze")
    return role.user


@pytest.fixture
def valdis():
    return PersonFactory(first_name="Valdis", last_name="Egle", has_eid=False)


@pytest.fixture
def service():
    return ServiceFactory(
        agency=AgencyFactory(code="VSAA"),
        title_lv="Vecāku pabalsts",
        authorised_filing_allowed=True,
        processing_days=10,
    )


def serve(client, person, channel="vpvkac", **identity):
    data = {
        "channel": channel,
        "kind": "person",
        "code": person.personal_code,
        "identity_check": "document",
        "identity_document": "passport",
        "identity_document_number": "LV1234567",
        **identity,
    }
    return client.post(reverse("workplace:visit-new"), data)


def begin(client, person, service):
    response = serve(client, person)
    visit = Visit.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    return visit, client.post(reverse("workplace:filing-start", args=[visit.pk]), {"service": service.code})


def step(client, filing, action, **data):
    return client.post(reverse("workplace:filing", args=[filing.pk]), {"action": action, **data})


def pdf_text(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def file_through_step_5(client, valdis, service):
    _visit, response = begin(client, valdis, service)
    filing = AuthorisedFiling.objects.get()
    assert step(client, filing, "identify").status_code == 302
    assert client.get(reverse("workplace:filing-authorisation", args=[filing.pk])).status_code == 200
    assert step(client, filing, "signed", informed="on", signed="on").status_code == 302
    assert step(client, filing, "form", **VALID_DATA).status_code == 302
    assert step(client, filing, "file").status_code == 302
    filing.refresh_from_db()
    return filing


def test_the_whole_authorised_filing_files_the_case_on_the_centres_channel_and_basis(
    client, ilze, valdis, service, centre
):
    login(client, ilze, "high")

    filing = file_through_step_5(client, valdis, service)
    step(client, filing, "planned")
    response = step(client, filing, "notice", notice="none")

    filing.refresh_from_db()
    assert response.status_code == 302 and filing.step == FilingStep.DONE
    case = Case.objects.get()
    assert (case.channel, case.basis, case.centre_id) == (Channel.VPVKAC, Basis.AUTHORISED_FILING, centre.pk)
    assert case.client_person == valdis and case.submitted_by == ilze
    assert case.authorisation_reference == filing.number and filing.case == case
    actions = set(AuditEvent.objects.filter(action__startswith="workplace.").values_list("action", flat=True))
    assert {
        WorkplaceAction.VISIT_START,
        WorkplaceAction.FILING_START,
        WorkplaceAction.FILING_SPECIALIST,
        WorkplaceAction.FILING_AUTHORISATION,
        WorkplaceAction.FILING_SIGNED,
        WorkplaceAction.FILING_FORM,
        WorkplaceAction.FILING_FILED,
        WorkplaceAction.FILING_PLANNED_DATE,
        WorkplaceAction.FILING_RESULT_NOTICE,
    } <= actions


def test_the_written_authorisation_is_two_copies_naming_client_specialist_centre_service_and_date(
    client, ilze, valdis, service
):
    login(client, ilze, "high")
    begin(client, valdis, service)
    filing = AuthorisedFiling.objects.get()
    step(client, filing, "identify")

    response = client.get(reverse("workplace:filing-authorisation", args=[filing.pk]))

    assert response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    assert len(pages) == 2
    for page in pages:
        flat = " ".join(page.split())
        assert "Valdis Egle" in flat and valdis.personal_code in flat
        assert ilze.person.full_name in flat
        assert "Valmieras VPVKAC" in flat
        assert "Vecāku pabalsts" in flat and filing.number in flat
        assert date_format(timezone.localtime(filing.created_at), "DATE_FORMAT") in flat
    assert "arhīv" in pages[0] and "klient" in pages[1].lower()


def test_the_receipt_gives_the_planned_date(client, ilze, valdis, service):
    login(client, ilze, "high")
    filing = file_through_step_5(client, valdis, service)

    response = client.get(reverse("workplace:filing-receipt", args=[filing.pk]))

    text = " ".join(pdf_text(response.content)[0].split())
    assert filing.case.number in text
    assert date_format(filing.case.planned_completion, "DATE_FORMAT") in text


def test_on_a_substantial_session_step_2_is_refused_with_the_reason_and_nothing_is_filed(
    client, ilze, valdis, service
):
    login(client, ilze, "substantial")
    begin(client, valdis, service)
    filing = AuthorisedFiling.objects.get()

    page = client.get(filing.get_absolute_url())
    response = step(client, filing, "identify")

    assert "eID" in page.content.decode() and 'data-testid="refusal"' in page.content.decode()
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.step == FilingStep.SPECIALIST and filing.specialist_identified_at is None
    assert AuditEvent.objects.filter(action=WorkplaceAction.FILING_REFUSED, reason="assurance").exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "refusal",
    ["service", "client_has_eid", "client_organisation", "phone"],
)
def test_refused_filings_say_why_and_leave_nothing(client, ilze, valdis, service, refusal):
    login(client, ilze, "high")
    client_party, channel = valdis, "vpvkac"
    if refusal == "service":
        service.authorised_filing_allowed = False
        service.save()
    elif refusal == "client_has_eid":
        valdis.has_eid = True
        valdis.save()
    elif refusal == "phone":
        channel = "phone"
    data = {
        "channel": channel,
        "kind": "person",
        "code": valdis.personal_code,
        "identity_check": "questions" if channel == "phone" else "known",
        "identity_note": "Adrese un bērna vārds",
    }
    if refusal == "client_organisation":
        organisation = OrganisationFactory()
        data.update(kind="organisation", code=organisation.registration_number)
        client_party = organisation
    visit_response = client.post(reverse("workplace:visit-new"), data)
    visit = Visit.objects.get(pk=visit_response.url.rstrip("/").split("/")[-1])

    response = client.post(reverse("workplace:filing-start", args=[visit.pk]), {"service": service.code})

    assert response.status_code == 403
    assert not AuthorisedFiling.objects.exists() and not Case.objects.exists()
    event = AuditEvent.objects.get(action=WorkplaceAction.FILING_REFUSED)
    assert event.reason == refusal and visit.client == client_party


def test_a_step_posted_out_of_turn_is_refused_and_changes_nothing(client, ilze, valdis, service):
    login(client, ilze, "high")
    begin(client, valdis, service)
    filing = AuthorisedFiling.objects.get()

    responses = [step(client, filing, "file"), step(client, filing, "form", **VALID_DATA)]
    signed_unprinted = (
        step(client, filing, "identify"),
        step(client, filing, "signed", informed="on", signed="on"),
    )

    assert [r.status_code for r in responses] == [409, 409]
    assert signed_unprinted[1].status_code == 400  # the authorisation was never printed
    filing.refresh_from_db()
    assert filing.step == FilingStep.AUTHORISATION and filing.signed_at is None
    assert not Case.objects.exists()


def test_a_double_click_on_file_files_once(client, ilze, valdis, service):
    login(client, ilze, "high")
    filing = file_through_step_5(client, valdis, service)

    again = step(client, filing, "file")

    assert again.status_code == 302 and again.url == filing.get_absolute_url()
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action=WorkplaceAction.FILING_FILED).count() == 1


def test_another_specialist_cannot_open_or_drive_the_filing(client, ilze, valdis, service, centre):
    login(client, ilze, "high")
    begin(client, valdis, service)
    filing = AuthorisedFiling.objects.get()
    other = StaffRoleFactory(kind="centre_specialist", centre=centre).user
    login(client, other, "high")

    page = client.get(filing.get_absolute_url())
    posted = step(client, filing, "identify")
    printed = client.get(reverse("workplace:filing-authorisation", args=[filing.pk]))

    assert (page.status_code, posted.status_code, printed.status_code) == (404, 404, 404)
    filing.refresh_from_db()
    assert filing.step == FilingStep.SPECIALIST


@pytest.mark.parametrize("who", ["citizen", "agency_staff"])
def test_only_a_centres_specialist_serves_clients(client, service, who):
    user = UserFactory() if who == "citizen" else staff_of(service.agency)
    login(client, user, "high")

    response = client.get(reverse("workplace:visit-new"))

    assert response.status_code == 404


def test_the_client_is_told_the_result_by_the_e_mail_they_chose(
    client, ilze, valdis, service, django_capture_on_commit_callbacks
):
    login(client, ilze, "high")
    filing = file_through_step_5(client, valdis, service)
    step(client, filing, "planned")
    step(client, filing, "notice", notice="email", address="valdis@example.lv")
    mail.outbox.clear()
    agency = Actor(user=staff_of(service.agency), channel=Channel.AGENCY)

    for status in (CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED):
        with django_capture_on_commit_callbacks(execute=True):
            registry.case_change_status(actor=agency, case=filing.case, to=status)

    valdis.refresh_from_db()
    assert valdis.email == "valdis@example.lv"
    assert NoticePreference.objects.get(person=valdis, kind=NoticeKind.CASE_STATUS).email
    assert any("valdis@example.lv" in m.to for m in mail.outbox)
    filing.refresh_from_db()
    assert filing.result_told_at is not None
    assert AuditEvent.objects.filter(action=WorkplaceAction.FILING_RESULT_TOLD).count() == 1


def test_a_result_by_post_is_handed_to_the_centre_to_send(client, ilze, valdis, service, centre):
    login(client, ilze, "high")
    filing = file_through_step_5(client, valdis, service)
    step(client, filing, "planned")
    step(client, filing, "notice", notice="post", address="Rīgas iela 5, Valmiera, LV-4201")
    agency = Actor(user=staff_of(service.agency), channel=Channel.AGENCY)

    registry.case_change_status(actor=agency, case=filing.case, to=CaseStatus.REJECTED)

    handover = Handover.objects.get()
    assert handover.target == HandoverTarget.CENTRE and handover.to_centre == centre
    assert "LV-4201" in handover.note and filing.case.number in handover.note


def test_a_visit_needs_the_identity_check_before_anything_is_shown(client, ilze, valdis):
    login(client, ilze, "high")

    no_number = serve(client, valdis, identity_document_number="")
    questions_at_desk = serve(client, valdis, identity_check="questions")
    phone_without_questions = serve(client, valdis, channel="phone", identity_check="questions")

    assert [r.status_code for r in (no_number, questions_at_desk, phone_without_questions)] == [400, 400, 400]
    assert not Visit.objects.exists()
    assert "Valdis" not in no_number.content.decode().split("<main", 1)[1]


def test_the_profile_asks_the_purpose_and_the_client_sees_the_look(client, ilze, valdis, centre):
    login(client, ilze, "high")
    response = serve(client, valdis)
    visit = Visit.objects.get()

    without = client.post(reverse("workplace:profile", args=[visit.pk]), {"purpose": ""})
    before = client.get(reverse("workplace:profile", args=[visit.pk]))
    opened = client.post(
        reverse("workplace:profile", args=[visit.pk]),
        {"purpose": "client_request", "purpose_text": "Pabalsts"},
    )
    profile = client.get(reverse("workplace:profile", args=[visit.pk]))

    assert response.status_code == 302 and without.status_code == 400 and before.status_code == 302
    assert opened.status_code == 302 and profile.status_code == 200
    event = AuditEvent.objects.get(action=WorkplaceAction.PROFILE_VIEW)
    assert event.subject_id == str(valdis.pk) and "Pabalsts" in event.reason
    # what the client reads in "who looked at my data"
    valdis.has_eid = True
    valdis.save()
    own = UserFactory(person=valdis)
    login(client, own, "substantial")
    page = client.get(reverse("eaccount:access-log")).content.decode()
    assert "Valmieras VPVKAC" in page and "Pabalsts" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="select_for_update needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_file_clicks_at_once_file_one_case(ilze, valdis, service):
    visit = workplace_services.visit_start(
        actor=Actor(user=ilze, centre_id=visit_centre(ilze), assurance="high"),
        client=valdis,
        channel="vpvkac",
        identity_check="known",
    )
    actor = Actor(user=ilze, centre_id=visit.centre_id, assurance="high", channel=Channel.VPVKAC)
    filing = workplace_services.filing_start(actor=actor, visit=visit, service=service)
    workplace_services.filing_specialist_identify(actor=actor, filing=filing)
    workplace_services.filing_authorisation_printed(actor=actor, filing=filing)
    workplace_services.filing_signed(actor=actor, filing=filing, informed=True, signed=True)
    workplace_services.filing_form_enter(actor=actor, filing=filing, data=dict(VALID_DATA))
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            mine = AuthorisedFiling.objects.get(pk=filing.pk)
            outcomes.append(workplace_services.filing_file(actor=actor, filing=mine).case_id)
        except FilingStepNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Case.objects.count() == 1
    filing.refresh_from_db()
    assert filing.case_id is not None and filing.step == FilingStep.PLANNED_DATE
    assert sorted(map(str, outcomes)) in (
        sorted([str(filing.case_id), "refused"]),
        [str(filing.case_id)] * 2,
    )
    assert AuditEvent.objects.filter(action=WorkplaceAction.FILING_FILED).count() == 1


def visit_centre(user):
    return user.staff_roles.get().centre_id
