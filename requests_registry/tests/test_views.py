"""Citizen and agency-staff pages: applying, my cases, the case page, staff actions, access, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from delegation.models import Delegation
from kernel.actors import Actor
from kernel.constants import Channel
from requests_registry.constants import CaseStatus
from requests_registry.models import Case, CaseAttachment, Feedback

from .factories import (
    VALID_DATA,
    AgencyFactory,
    BoardMembershipFactory,
    CaseFactory,
    ParentChildFactory,
    PersonFactory,
    ServiceFactory,
    UserFactory,
    login,
    pdf_upload,
    staff_of,
)

pytestmark = pytest.mark.django_db
S = CaseStatus


def apply_url(service):
    return reverse("requests_registry:apply", kwargs={"code": service.code})


# --- applying ------------------------------------------------------------------------------------


def test_apply_needs_login_with_substantial_assurance(client):
    service = ServiceFactory()
    response = client.get(apply_url(service))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    user = UserFactory()
    login(client, user, level="low")
    response = client.get(apply_url(service))
    assert response.status_code == 302 and "level=substantial" in response["Location"]


def test_apply_renders_eform_in_active_language(client):
    service = ServiceFactory()
    login(client, UserFactory())
    client.cookies["django_language"] = "en"
    response = client.get(apply_url(service))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert "Bērna personas kods" in html or "Child&#x27;s personal code" in html
    assert 'name="child_birth_date"' in html and 'type="date"' in html
    assert 'accept=".pdf,.png"' in html


def test_apply_check_confirm_submit(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    service = ServiceFactory(code="1011")
    login(client, user)

    response = client.post(
        apply_url(service), {**VALID_DATA, "action": "check", "document": pdf_upload(name="dz.pdf")}
    )
    assert response.status_code == 200
    assert "030718-23455" in response.content.decode() and "dz.pdf" in response.content.decode()
    assert not Case.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(service), {"action": "submit"})

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.number == "1011-0000001" and case.client_person == user.person and case.submitted_by == user
    attachment = case.attachments.get()
    assert attachment.original_name == "dz.pdf" and attachment.file.read().startswith(b"%PDF")
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and "1011-0000001" in page.content.decode()


def test_apply_invalid_form_shows_errors_and_stores_nothing(client, settings):
    service = ServiceFactory()
    login(client, UserFactory())

    response = client.post(
        apply_url(service),
        {"action": "check", "child_personal_code": "12", "document": pdf_upload(name="x.exe")},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_child_personal_code"' in html and 'href="#id_child_birth_date"' in html
    assert 'id="id_document_error"' in html and 'aria-invalid="true"' in html
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_apply_file_too_big_refused(client):
    service = ServiceFactory()
    login(client, UserFactory())
    client.cookies["django_language"] = "en"
    response = client.post(
        apply_url(service),
        {**VALID_DATA, "action": "check", "document": pdf_upload(size=20000)},
    )
    assert "too big" in response.content.decode()
    assert client.post(apply_url(service), {"action": "submit"}).status_code == 302
    assert not Case.objects.exists()


def test_apply_for_child_when_acting_for_child(client):
    link = ParentChildFactory()
    user = UserFactory(person=link.parent)
    login(client, user)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{link.child.pk}"})
    service = ServiceFactory(minor_may_be_client=True)
    client.post(apply_url(service), {**VALID_DATA, "action": "check"})
    client.post(apply_url(service), {"action": "submit"})
    case = Case.objects.get()
    assert case.client_person == link.child and case.basis == "legal_representation"
    assert case.submitted_by == user


def test_apply_organisation_service_as_person_is_explained(client):
    login(client, UserFactory())
    response = client.get(apply_url(ServiceFactory(audience="organisation")))
    assert response.status_code == 403
    assert reverse("delegation:act-for") in response.content.decode()


def test_apply_unknown_or_draft_service_404(client):
    login(client, UserFactory())
    assert client.get("/cases/apply/99999/").status_code == 404
    assert client.get(apply_url(ServiceFactory(state="draft"))).status_code == 404
    assert client.get(apply_url(ServiceFactory(eform=[]))).status_code == 404


def test_act_for_refuses_a_stranger(client):
    user = UserFactory()
    login(client, user)
    stranger = PersonFactory()
    client.post(reverse("delegation:act-for"), {"principal": f"person:{stranger.pk}"})
    response = client.get(reverse("requests_registry:my-cases"))
    assert response.context["principal"].id == user.person.pk


# --- the case page and access --------------------------------------------------------------------


@pytest.fixture
def people():
    owner = UserFactory()
    link = ParentChildFactory()
    board = BoardMembershipFactory()
    return {
        "owner": owner,
        "parent": UserFactory(person=link.parent),
        "child": link.child,
        "board_member": UserFactory(person=board.person),
        "organisation": board.organisation,
        "stranger": UserFactory(),
    }


@pytest.mark.parametrize(
    "who, client_key, allowed",
    [
        ("owner", "owner", True),
        ("parent", "child", True),
        ("board_member", "organisation", True),
        ("stranger", "owner", False),
        ("stranger", "child", False),
        ("owner", "organisation", False),
    ],
)
def test_case_page_access(client, people, who, client_key, allowed):
    target = people[client_key]
    target = getattr(target, "person", target)
    if target._meta.model_name == "organisation":
        case = CaseFactory(
            client_person=None, client_organisation=target, service=ServiceFactory(audience="organisation")
        )
    else:
        case = CaseFactory(client_person=target)
    login(client, people[who])

    response = client.get(case.get_absolute_url())

    assert response.status_code == (200 if allowed else 404)
    withdraw = client.post(reverse("requests_registry:case-withdraw", kwargs={"number": case.number}))
    case.refresh_from_db()
    if allowed:
        assert case.status == S.WITHDRAWN
    else:
        assert withdraw.status_code == 404 and case.status == S.SUBMITTED


def test_malformed_or_missing_number_404(client):
    login(client, UserFactory())
    assert client.get("/cases/1011-0000001/").status_code == 404
    assert client.get("/cases/abc/").status_code == 404


def test_timeline_shows_only_client_visible_rows(client):
    user = UserFactory()
    case = CaseFactory(status=S.REGISTERED, client_person=user.person)
    from requests_registry import services

    staff = staff_of(case.service.agency)
    services.case_change_status(
        actor=Actor(user=staff, channel=Channel.AGENCY),
        case=case,
        to=S.IN_PROGRESS,
        note="internal remark",
        visible_to_client=False,
    )
    services.case_request_info(
        actor=Actor(user=staff, channel=Channel.AGENCY), case=case, question="Which bank?"
    )
    login(client, user)

    html = client.get(case.get_absolute_url()).content.decode()

    assert "internal remark" not in html
    assert "Which bank?" in html and 'action="/cases/' in html  # the answer form


def test_answer_needs_info_through_page(client):
    user = UserFactory()
    case = CaseFactory(status=S.NEEDS_INFO, client_person=user.person)
    login(client, user)
    url = reverse("requests_registry:case-answer", kwargs={"number": case.number})

    bad = client.post(url, {"answer": "", "attachment": pdf_upload(name="a.exe")})
    assert bad.status_code == 400 and 'class="error-summary"' in bad.content.decode()
    good = client.post(url, {"answer": "LV80BANK0000435195001", "attachment": pdf_upload()})

    assert good.status_code == 302
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    assert case.attachments.get().kind == "client_answer"


def test_feedback_once_through_page(client):
    user = UserFactory()
    case = CaseFactory(status=S.COMPLETED, client_person=user.person)
    login(client, user)
    url = reverse("requests_registry:case-feedback", kwargs={"number": case.number})
    assert client.post(url, {"rating": "5", "comment": "Paldies"}).status_code == 302
    client.post(url, {"rating": "1"})
    assert Feedback.objects.get().rating == 5
    page = client.get(case.get_absolute_url())
    assert page.context["feedback"].rating == 5 and not page.context["can_give_feedback"]


# --- my cases: filters and fixed query counts ------------------------------------------------------


def test_my_cases_lists_current_principal_filtered(client):
    user = UserFactory()
    mine = CaseFactory(client_person=user.person, status=S.IN_PROGRESS)
    CaseFactory(client_person=user.person, status=S.COMPLETED)
    CaseFactory()  # someone else's
    login(client, user)

    page = client.get(reverse("requests_registry:my-cases"), {"status": "in_progress"})

    assert [c.number for c in page.context["page"].object_list] == [mine.number]
    assert page.context["page"].paginator.count == 1


def test_my_cases_total_and_service_choices_follow_the_filter_and_a_delegations_scope(client):
    # given a principal with cases of two services in two statuses, and someone else's case
    principal = UserFactory()
    first, second = ServiceFactory(code="AAA-1", delegable=True), ServiceFactory(code="BBB-2", delegable=True)
    for service, status, n in [
        (first, S.IN_PROGRESS, 3),
        (first, S.COMPLETED, 2),
        (second, S.IN_PROGRESS, 22),
    ]:
        for _ in range(n):
            CaseFactory(client_person=principal.person, service=service, status=status)
    CaseFactory(service=first)
    login(client, principal)
    url = reverse("requests_registry:my-cases")

    def shown(query):
        page = client.get(url, query).context["page"]
        return page.paginator.count, page.paginator.num_pages, len(page.object_list)

    # then the total is the filtered list's, under every filter, and pages follow it
    assert shown({}) == (27, 2, 20)
    assert shown({"status": "in_progress"}) == (25, 2, 20)
    assert shown({"service": "AAA-1"}) == (5, 1, 5)
    assert shown({"service": "AAA-1", "status": "completed"}) == (2, 1, 2)
    assert shown({"service": "BBB-2", "page": "2"}) == (22, 2, 2)
    assert shown({"service": "NO-SUCH"}) == (27, 2, 20)  # an unknown choice: the form refuses it
    assert shown({"status": "rejected"}) == (0, 1, 0)
    choices = [code for code, _label in client.get(url).context["form"].fields["service"].choices]
    assert choices == ["", "AAA-1", "BBB-2"]

    # and a delegate for one service sees that service's cases only, in the total and the choices
    agent = UserFactory()
    delegation = Delegation.objects.create(principal_person=principal.person, agent=agent.person)
    delegation.services.set([first])
    login(client, agent)
    client.post(reverse("delegation:act-for"), {"principal": f"person:{principal.person.pk}"})
    assert shown({}) == (5, 1, 5)
    assert [code for code, _ in client.get(url).context["form"].fields["service"].choices] == ["", "AAA-1"]


@pytest.mark.parametrize("view", ["my-cases", "case-detail", "agency-list", "agency-detail"])
def test_fixed_query_counts(client, view, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = AgencyFactory()
    service = ServiceFactory(agency=agency)
    user = UserFactory()
    staff = staff_of(agency)

    def given(n):
        """n more cases of the user, the last one with n/2 more history rows and a file each; its URL."""
        for _ in range(n):
            case = CaseFactory(client_person=user.person, service=service, status=S.IN_PROGRESS)
            for _ in range(n // 2):
                change = case.status_changes.create(
                    seq=case.status_changes.count() + 1,
                    from_status="in_progress",
                    to_status="in_progress",
                    note="x",
                    actor=staff,
                )
                CaseAttachment.objects.create(
                    case=case,
                    kind="client_answer",
                    file="cases/x.pdf",
                    original_name="x.pdf",
                    status_change=change,
                )
        who, url = {
            "my-cases": (user, reverse("requests_registry:my-cases")),
            "case-detail": (user, case.get_absolute_url()),
            "agency-list": (staff, reverse("requests_registry:agency-case-list")),
            "agency-detail": (
                staff,
                reverse("requests_registry:agency-case-detail", kwargs={"number": case.number}),
            ),
        }[view]
        login(client, who)
        client.get(url)  # warm the session
        return url

    url = given(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)  # now: the next request resets the query log

    url = given(20)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# --- agency staff ---------------------------------------------------------------------------------


@pytest.fixture
def vsaa_case():
    agency = AgencyFactory(code="VSAA")
    case = CaseFactory(service=ServiceFactory(agency=agency), status=S.REGISTERED)
    return case, staff_of(agency), staff_of(AgencyFactory(code="PMLP"))


def test_staff_list_shows_own_agency_only(client, vsaa_case):
    case, staff, other = vsaa_case
    CaseFactory()  # another agency's
    login(client, staff)
    response = client.get(reverse("requests_registry:agency-case-list"))
    assert [c.number for c in response.context["page"].object_list] == [case.number]
    response = client.get(reverse("requests_registry:agency-case-list"), {"number": case.number[:6]})
    assert [c.number for c in response.context["page"].object_list] == [case.number]


def test_staff_list_names_the_assignee_as_the_user_reads(client, vsaa_case):
    case, staff, _other = vsaa_case
    service = case.service
    without_person = UserFactory(
        person=None, username="operators-login", first_name="", last_name="", email=""
    )
    assigned = {
        CaseFactory(
            service=service, assigned_to=staff
        ).number: f"{staff.person.first_name} {staff.person.last_name}",
        CaseFactory(service=service, assigned_to=without_person).number: "operators-login",
        case.number: "—",
    }
    login(client, staff)
    html = client.get(reverse("requests_registry:agency-case-list")).content.decode()
    for number, name in assigned.items():
        row = html[html.index(f">{number}<") :].split("</tr>", 1)[0]
        # service, client, status, planned completion, assigned to, last change
        assert re.findall(r"<td>(.*?)</td>", row)[4] == name


def test_staff_take_change_status_request_info_attach_result(client, vsaa_case):
    case, staff, _other = vsaa_case
    login(client, staff)
    base = f"/cases/agency/{case.number}/"

    assert client.get(base).status_code == 200
    assert client.post(base + "take/").status_code == 302
    assert (
        client.post(
            base + "status/", {"to": "in_progress", "note": "Started", "visible_to_client": "on"}
        ).status_code
        == 302
    )
    assert client.post(base + "request-info/", {"question": "Bank account?"}).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == staff and case.status == S.NEEDS_INFO
    case.status = S.IN_PROGRESS
    case.save()
    response = client.post(base + "result/", {"document": pdf_upload(name="lemums.pdf"), "complete": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.COMPLETED and case.result_document_name == "lemums.pdf"
    actions = set(AuditEvent.objects.filter(actor_id=staff.pk).values_list("action", flat=True))
    assert {"case.view", "case.assign", "case.status", "case.request_info", "case.attach_result"} <= actions
    look = AuditEvent.objects.filter(actor_id=staff.pk, action="case.view").first()
    assert look.acting_for_id == str(case.client_person_id) and look.object_id == str(case.pk)


def test_staff_illegal_transition_is_400_not_500(client, vsaa_case):
    case, staff, _other = vsaa_case
    login(client, staff)
    response = client.post(f"/cases/agency/{case.number}/status/", {"to": "completed"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == S.REGISTERED


@pytest.mark.parametrize(
    "action, data",
    [
        ("", None),
        ("take/", {}),
        ("status/", {"to": "in_progress"}),
        ("request-info/", {"question": "x"}),
        ("result/", {"complete": "on"}),
    ],
)
def test_staff_of_another_agency_gets_404_and_nothing_changes(client, vsaa_case, action, data):
    case, _staff, other = vsaa_case
    login(client, other)
    url = f"/cases/agency/{case.number}/{action}"
    if data is None:
        response = client.get(url)
    else:
        if action == "result/":
            data = {**data, "document": pdf_upload()}
        response = client.post(url, data)
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == S.REGISTERED and case.assigned_to is None and not case.result_document
    assert case.status_changes.count() == 2
    assert not AuditEvent.objects.filter(actor_id=other.pk, action__startswith="case.").exists()


def test_citizen_cannot_open_agency_pages(client, vsaa_case):
    case, _staff, _other = vsaa_case
    login(client, UserFactory())
    assert client.get(reverse("requests_registry:agency-case-list")).status_code == 404
    assert client.get(f"/cases/agency/{case.number}/").status_code == 404


def test_consultation_form(client):
    agency = AgencyFactory()
    service = ServiceFactory(agency=agency)
    staff = staff_of(agency)
    person = PersonFactory()
    login(client, staff)
    url = reverse("requests_registry:consultation-new")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "channel": "phone",
            "service": service.code,
            "personal_code": person.personal_code,
            "topic": "Pabalsts",
            "duration_minutes": "7",
            "outcome": "answered",
        },
    )
    assert response.status_code == 302
    from requests_registry.models import Consultation

    consultation = Consultation.objects.get()
    assert consultation.client_person == person and consultation.service == service
    assert AuditEvent.objects.filter(action="consultation.register", actor_id=staff.pk).exists()


@pytest.mark.parametrize("code", ["150585-12344", "<script>", "40003000000", "010130-21236"])
def test_consultation_form_says_an_invalid_personal_code_is_invalid(client, code):
    agency = AgencyFactory()
    login(client, staff_of(agency))
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("requests_registry:consultation-new"),
        {
            "channel": "phone",
            "personal_code": code,
            "topic": "Pabalsts",
            "duration_minutes": "7",
            "outcome": "answered",
        },
    )

    assert response.status_code == 200
    assert "personal code" in " ".join(response.context["form"].errors["personal_code"])
    from requests_registry.models import Consultation

    assert not Consultation.objects.exists()


def test_inbox_shows_result_document_and_messages_of_the_principal_only(client):
    from eaccount.models import Document, Message
    from requests_registry import services

    user = UserFactory()
    case = CaseFactory(status=S.IN_PROGRESS, client_person=user.person)
    services.case_attach_result(
        actor=Actor(user=staff_of(case.service.agency), channel=Channel.AGENCY),
        case=case,
        file=pdf_upload(name="lemums.pdf"),
        complete=True,
    )
    other = UserFactory()
    login(client, user)

    documents = client.get(reverse("documents"))
    document = Document.objects.get(person=user.person)
    message = Message.objects.get(person=user.person, attachments=document)
    message_page = client.get(reverse("eaccount:inbox-message", kwargs={"pk": message.pk}))

    assert documents.status_code == 200 and "lemums.pdf" in documents.content.decode()
    assert message.case_number == case.number and message_page.context["attachments"] == [document]
    download = client.get(reverse("eaccount:inbox-document", kwargs={"pk": document.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    login(client, other)
    assert client.get(reverse("eaccount:inbox-document", kwargs={"pk": document.pk})).status_code == 404
    assert client.get(reverse("documents")).context["page"].entries == []
    assert document.service_code == case.service.code


def test_board_member_applies_for_the_company(client):
    membership = BoardMembershipFactory()
    user = UserFactory(person=membership.person)
    service = ServiceFactory(audience="organisation")
    login(client, user)
    # as themselves: the company service explains whom to act for
    assert client.get(apply_url(service)).status_code == 403
    client.post(reverse("delegation:act-for"), {"principal": f"organisation:{membership.organisation.pk}"})
    # acting for the company: the person service is refused, the company service is filed for the company
    assert client.get(apply_url(ServiceFactory())).status_code == 403
    client.post(apply_url(service), {**VALID_DATA, "action": "check"})
    response = client.post(apply_url(service), {"action": "submit"})
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.client_organisation == membership.organisation and case.client_person is None
    assert case.basis == "legal_representation" and case.submitted_by == user
    my_cases = client.get(reverse("requests_registry:my-cases"))
    assert [c.number for c in my_cases.context["page"].object_list] == [case.number]


def test_staff_list_pages_without_counting(client, django_assert_num_queries):
    agency = AgencyFactory()
    service = ServiceFactory(agency=agency)
    cases = [CaseFactory(service=service) for _ in range(23)]
    login(client, staff_of(agency))
    client.cookies["django_language"] = "en"
    first = client.get(reverse("requests_registry:agency-case-list"))
    second = client.get(reverse("requests_registry:agency-case-list"), {"page": "2"})
    past = client.get(reverse("requests_registry:agency-case-list"), {"page": "99"})
    assert len(first.context["page"].object_list) == 20 and first.context["page"].has_next()
    assert len(second.context["page"].object_list) == 3 and not second.context["page"].has_next()
    assert "page=2" in first.content.decode() and "Page 2" in second.content.decode()
    assert past.context["page"].number == 1
    assert {c.number for c in second.context["page"].object_list} < {c.number for c in cases}
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("requests_registry:agency-case-list"))
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_result_without_completion_when_status_does_not_allow_it(client, vsaa_case):
    case, staff, _other = vsaa_case  # registered: cannot be completed yet
    login(client, staff)
    page = client.get(f"/cases/agency/{case.number}/")
    assert "complete" not in page.context["result_form"].fields
    response = client.post(
        f"/cases/agency/{case.number}/result/", {"document": pdf_upload(), "complete": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.REGISTERED and case.result_document


def test_case_filed_on_authorisation_says_so_to_the_client(client):
    from requests_registry import services

    from .factories import StaffRoleFactory

    role = StaffRoleFactory(kind="centre_specialist")
    user = UserFactory()
    user.person.has_eid = False  # the client had no eID then (got one since, and now reads the case)
    case = services.case_submit(
        service=ServiceFactory(authorised_filing_allowed=True),
        client=user.person,
        actor=Actor(
            user=role.user,
            principal=user.person,
            basis="authorised_filing",
            channel="vpvkac",
            assurance="high",
            centre_id=role.centre_id,
        ),
        data=dict(VALID_DATA),
        authorisation_reference="PILN-2026-17",
    )
    login(client, user)
    client.cookies["django_language"] = "en"
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Authorised e-service" in html and "PILN-2026-17" in html and str(role.centre) in html
    assert str(role.user) in html


# --- consultations the citizen was given, and their feedback ---------------------------------------


def test_a_consultation_without_a_service_opens_for_its_client(client):
    from requests_registry import services

    user = UserFactory()
    consultation = services.consultation_register(
        actor=Actor(user=staff_of(AgencyFactory()), channel="phone"),
        channel="phone",
        topic="Vispārīgs jautājums",
        duration_minutes=3,
        outcome="answered",
        client=user.person,
    )
    login(client, user)

    response = client.get(consultation.get_absolute_url())

    assert response.status_code == 200 and "Vispārīgs jautājums" in response.content.decode()


def _consultation(client_obj=None, *, topic="Kā pieteikt pabalstu?", **extra):
    from requests_registry import services

    agency = AgencyFactory()
    return services.consultation_register(
        actor=Actor(user=staff_of(agency), channel="phone"),
        channel="phone",
        topic=topic,
        duration_minutes=5,
        outcome="answered",
        service=ServiceFactory(agency=agency),
        agency=agency,
        client=client_obj,
        **extra,
    )


def test_my_consultations_lists_the_principals_only(client, people):
    mine = _consultation(people["owner"].person, topic="Mana konsultācija")
    _consultation(people["stranger"].person, topic="Sveša konsultācija")
    _consultation(None, topic="Anonīma konsultācija", anonymous_phone="+37120000000")
    login(client, people["owner"])

    response = client.get(reverse("requests_registry:my-consultations"))

    assert [c.pk for c in response.context["page"].object_list] == [mine.pk]
    html = response.content.decode()
    assert "Mana konsultācija" in html and "Sveša" not in html and "Anonīma" not in html


@pytest.mark.parametrize(
    "who, client_key, allowed",
    [
        ("owner", "owner", True),
        ("parent", "child", True),
        ("board_member", "organisation", True),
        ("stranger", "owner", False),
        ("stranger", "child", False),
        ("owner", "organisation", False),
    ],
)
def test_consultation_page_and_feedback_access(client, people, who, client_key, allowed):
    target = people[client_key]
    consultation = _consultation(getattr(target, "person", target))
    login(client, people[who])

    page = client.get(consultation.get_absolute_url())
    feedback = client.post(
        reverse("requests_registry:consultation-feedback", kwargs={"pk": consultation.pk}), {"rating": "4"}
    )

    assert page.status_code == (200 if allowed else 404)
    assert feedback.status_code == (302 if allowed else 404)
    assert Feedback.objects.filter(consultation=consultation).exists() is allowed


def test_a_delegate_does_not_see_the_principals_consultations(client):
    from delegation.services import delegation_grant

    principal, agent = UserFactory(), UserFactory()
    consultation = _consultation(principal.person)
    delegation_grant(
        principal=principal.person,
        agent=agent.person,
        actor=Actor(user=principal),
        services=[consultation.service],
    )
    login(client, agent)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert not client.get(reverse("requests_registry:my-consultations")).context["page"].object_list


def test_consultation_feedback_once_with_errors_in_the_page(client):
    user = UserFactory()
    consultation = _consultation(user.person)
    login(client, user)
    url = reverse("requests_registry:consultation-feedback", kwargs={"pk": consultation.pk})

    bad = client.post(url, {"rating": "9", "comment": "x" * 2001})
    assert bad.status_code == 400 and 'class="error-summary"' in bad.content.decode()
    assert not Feedback.objects.exists()

    assert client.post(url, {"rating": "5", "comment": "Paldies"}).status_code == 302
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 302
    assert Feedback.objects.get().rating == 5
    assert AuditEvent.objects.filter(action="feedback.give", actor_id=user.pk).count() == 1

    page = client.get(consultation.get_absolute_url())
    assert page.context["consultation"].feedback_rating == 5
    assert 'id="feedback-title"' not in page.content.decode()
    listing = client.get(reverse("requests_registry:my-consultations"))
    assert listing.context["page"].object_list[0].feedback_rating == 5


def test_consultation_unknown_or_absurd_id_404(client):
    login(client, UserFactory())
    assert client.get("/cases/consultations/999999/").status_code == 404
    assert client.get(f"/cases/consultations/{10**30}/").status_code == 404


def test_my_consultations_fixed_query_count(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    login(client, user)
    url = reverse("requests_registry:my-consultations")

    def given(n):
        for _ in range(n):
            consultation = _consultation(user.person)
            Feedback.objects.create(consultation=consultation, rating=3)
        client.get(url)

    given(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)  # now: the next request resets the query log
    given(20)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
