import json

import pytest
from django.urls import NoReverseMatch, reverse

from audit.models import AuditEvent
from catalogue import services
from catalogue.constants import ServiceState
from catalogue.models import Service, ServiceVersion
from kernel.actors import Actor

from .factories import AgencyFactory, CategoryFactory, LifeEventFactory, ServiceFactory

WHO = ["anonymous", "citizen", "vsaa_staff", "vsaa_admin", "pmlp_admin", "platform_admin"]


def state_of(code):
    service = Service.objects.get(code=code)
    return (
        services.service_working_snapshot(service=service),
        service.state,
        service.version,
        ServiceVersion.objects.filter(service=service).count(),
        AuditEvent.objects.filter(action__startswith="catalogue.").count(),
    )


# --- public pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_index_lists_categories_and_life_events(client, pilot):
    response = client.get("/services/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/services/category/social-security/"' in body
    assert 'href="/services/life-event/child_birth/"' in body
    assert body.count("<h1") == 1


@pytest.mark.django_db
def test_visitor_finds_childbirth_benefit_by_typing_berna_pabalst(client, pilot):
    response = client.get("/services/", {"q": "berna pabalst"})
    assert response.status_code == 200
    assert "Bērna piedzimšanas pabalsts" in response.content.decode()
    assert 'href="/services/1011/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["x" * 10_240, "'\"%", "' OR 1=1; DROP TABLE catalogue_service; --", "%_\\"])
def test_hostile_search_strings_answer_200(client, pilot, q):
    assert client.get("/services/", {"q": q}).status_code == 200
    # the API's schema caps q at 200 characters: longer is a 400 problem, not a search
    assert client.get("/api/v1/services/", {"q": q}).status_code == (200 if len(q) <= 200 else 400)


@pytest.mark.django_db
def test_category_and_life_event_pages(client, pilot):
    body = client.get("/services/category/social-security/").content.decode()
    assert "Bērna piedzimšanas pabalsts" in body and "Pases izsniegšana" not in body
    body = client.get("/services/category/identity-documents/").content.decode()
    assert "Pases izsniegšana" in body
    body = client.get("/services/life-event/child_birth/").content.decode()
    assert "Bērna piedzimšanas pabalsts" in body and "Apbedīšanas pabalsts" not in body
    assert client.get("/services/category/nope/").status_code == 404
    assert client.get("/services/life-event/nope/").status_code == 404


@pytest.mark.django_db
def test_service_page_shows_channels_fee_time_centres(client, pilot):
    body = client.get("/services/1031/").content.decode()
    assert "Pases izsniegšana" in body
    assert "30.00 EUR" in body or "30,00 EUR" in body
    assert "Valsts un pašvaldības vienotais klientu apkalpošanas centrs Valmierā" in body
    assert "Personu apliecinošu dokumentu likums" in body


@pytest.mark.django_db
def test_apply_online_link_for_e_services_only(client, pilot):
    try:
        apply_url = reverse("requests_registry:apply", kwargs={"code": "1011"})
    except NoReverseMatch:
        apply_url = None
    body = client.get("/services/1011/").content.decode()
    if apply_url:
        assert f'href="{apply_url}"' in body
    assert 'data-testid="apply-online"' not in client.get("/services/1031/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ServiceState.DRAFT, ServiceState.WITHDRAWN])
def test_drafts_and_withdrawn_are_404_for_the_public(client, pilot, state):
    ServiceFactory(code="9100", state=state)
    assert client.get("/services/9100/").status_code == 404
    assert client.get("/api/v1/services/9100/").status_code == 404


@pytest.mark.django_db
def test_missing_service_404(client, pilot):
    assert client.get("/services/999999/").status_code == 404
    assert client.get("/services/abc/").status_code == 404


# --- in context -------------------------------------------------------------------------------------


def _codes(response):
    return {s.code for s in response.context["page_obj"]}


@pytest.mark.django_db
def test_in_context_lists(client, pilot, people):
    from .factories import person_user

    internal = ServiceFactory(code="9200", title_lv="Iekšējs pabalsts darbiniekiem", internal=True)
    params = {"q": "pabalsts"}
    municipal = {"q": "pirmsskolas"}

    anonymous = client.get("/services/", params)
    assert internal.code not in _codes(anonymous) and "1011" in _codes(anonymous)
    assert {"2002", "2101"} <= _codes(client.get("/services/", municipal))  # every municipality's
    assert "1040" in _codes(client.get("/services/", {"q": "likvidacijas"}))

    client.force_login(people["citizen"])  # lives in Riga
    assert _codes(client.get("/services/", municipal)) == {"2002"}
    assert "1040" not in _codes(client.get("/services/", {"q": "likvidacijas"}))  # company service
    assert internal.code not in _codes(client.get("/services/", params))
    assert client.get("/services/9200/").status_code == 404

    board = person_user(board_member=True, municipality=pilot.agencies["ROJA"])
    client.force_login(board)
    assert "1040" in _codes(client.get("/services/", {"q": "likvidacijas"}))

    client.force_login(people["vsaa_staff"])  # an official
    assert internal.code in _codes(client.get("/services/", params))
    assert client.get("/services/9200/").status_code == 200


# --- a fixed number of queries ------------------------------------------------------------------


def _make_services(n, category, event, agency):
    for i in range(n):
        ServiceFactory(
            title_lv=f"Pārbaudes pabalsts {i}",
            e_service=i % 2 == 0,
            category=category,
            life_events=[event],
            agency=agency,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/services/",
        "/services/?q=parbaudes+pabalsts",
        "/services/?agency=QC&channel=e_service",
        "/services/category/qc-top/",
        "/services/category/qc-sub/",
        "/services/life-event/qc_event/",
        "/api/v1/services/?q=parbaudes",
        "/api/v1/services/?life_event=qc_event",
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, url):
    top = CategoryFactory(slug="qc-top")
    sub = CategoryFactory(slug="qc-sub", parent=top)
    event = LifeEventFactory(code="qc_event")
    agency = AgencyFactory(code="QC")
    _make_services(3, sub, event, agency)
    client.get(url)  # warm up (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_services(27, sub, event, agency)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_service_page_queries_do_not_grow_with_channels_and_centres(client, pilot, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/services/1011/")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/services/1031/")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/services/1002/")


# --- editing pages: who may do what -------------------------------------------------------------

EXPECTED = {  # GET edit page of a VSAA service (1011) and of a PMLP service (1030): 404 = not yours
    "anonymous": (302, 302),
    "citizen": (404, 404),
    "vsaa_staff": (404, 404),
    "vsaa_admin": (200, 404),
    "pmlp_admin": (404, 200),
    "platform_admin": (200, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_edit_page_access(login, people, who):
    client = login(people[who])
    vsaa, pmlp = EXPECTED[who]
    assert client.get("/services/manage/1011/edit/").status_code == vsaa
    assert client.get("/services/manage/1030/edit/").status_code == pmlp
    assert client.get("/services/manage/1011/history/").status_code == vsaa
    assert client.get("/services/manage/1030/preview/").status_code == pmlp


def _form_data(client, code):
    """The edit form's current values, as a browser would post them back."""
    response = client.get(f"/services/manage/{code}/edit/")
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = value
        elif value is not None:
            data[name] = str(value)
    return data


DENIED = [
    (who, code)
    for who in WHO
    for index, code in enumerate(["1011", "1030"])
    if EXPECTED[who][index] != 200  # the allowed ones: the happy path is tested below
]


@pytest.mark.django_db
@pytest.mark.parametrize("who, code", DENIED)
def test_denied_writes_through_pages_change_nothing(login, people, who, code):
    before = state_of(code)
    admin_client = login(people["platform_admin"])
    data = _form_data(admin_client, code)
    data["title_lv"] = "Uzlauzts"
    client = login(people[who])
    for url, payload in (
        (f"/services/manage/{code}/edit/", data),
        (f"/services/manage/{code}/publish/", {}),
        (f"/services/manage/{code}/withdraw/", {}),
        (f"/services/manage/{code}/discard/", {}),
    ):
        response = client.post(url, payload)
        assert response.status_code == (302 if who == "anonymous" else 404), url
    assert state_of(code) == before


@pytest.mark.django_db
def test_vsaa_admin_edits_publishes_and_sees_history(login, people):
    client = login(people["vsaa_admin"])
    assert client.get("/services/manage/").status_code == 200
    data = _form_data(client, "1011")
    data["title_en"] = "Childbirth allowance"
    eform = json.loads(data["eform"])
    eform.append({"name": "email", "type": "email", "label_lv": "E-pasts", "label_en": "E-mail"})
    data["eform"] = json.dumps(eform)
    response = client.post("/services/manage/1011/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    # not public yet
    assert Service.objects.get(code="1011").title_en == "Childbirth benefit"
    preview = client.get("/services/manage/1011/preview/")
    assert "Childbirth allowance" in preview.content.decode() or "Bērna" in preview.content.decode()
    assert client.post("/services/manage/1011/publish/", {"confirm": "on"}).status_code == 302
    service = Service.objects.get(code="1011")
    assert service.title_en == "Childbirth allowance" and service.version == 2
    history = client.get("/services/manage/1011/history/").content.decode()
    assert "Childbirth benefit" in history and "Childbirth allowance" in history
    assert "email" in history
    assert AuditEvent.objects.filter(
        action="catalogue.service.publish", actor_id=people["vsaa_admin"].pk
    ).exists()


@pytest.mark.django_db
def test_create_page_refuses_a_duplicate_code_with_a_clear_message(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    data["code"] = "1011"
    response = client.post("/services/manage/new/", data)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert Service.objects.filter(code="1011").count() == 1


@pytest.mark.django_db
def test_create_page_refuses_a_bad_eform(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    data["code"] = "7777"
    data["eform"] = json.dumps([{"name": "a", "type": "hologram", "label_lv": "A"}])
    response = client.post("/services/manage/new/", data)
    assert response.status_code == 400
    assert "eform" in response.context["form"].errors
    data["eform"] = "{not json"
    assert client.post("/services/manage/new/", data).status_code == 400
    assert not Service.objects.filter(code="7777").exists()


@pytest.mark.django_db
def test_create_preview_publish_a_new_service(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    data["code"] = "7002"
    data["title_lv"] = "Jauns VSAA pakalpojums"
    response = client.post("/services/manage/new/", data)
    assert response.status_code == 302
    assert client.get("/services/7002/").status_code == 404  # a draft
    assert client.get("/services/manage/7002/preview/").status_code == 200
    client.post("/services/manage/7002/publish/", {"confirm": "on"})
    assert client.get("/services/7002/").status_code == 200
    client.post("/services/manage/7002/withdraw/")
    assert client.get("/services/7002/").status_code == 404


@pytest.mark.django_db
def test_vsaa_admin_cannot_create_a_pmlp_service(login, people):
    client = login(people["vsaa_admin"])
    data = _form_data(client, "1011")
    data["code"] = "7003"
    data["agency"] = "PMLP"
    assert client.post("/services/manage/new/", data).status_code == 400
    assert not Service.objects.filter(code="7003").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/services/manage/", "/services/manage/{code}/history/", "/services/manage/{code}/preview/"]
)
def test_editing_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import person_user

    admin = person_user(role="platform_admin")
    client.force_login(admin)
    agency = AgencyFactory(code="QC")
    first = ServiceFactory(agency=agency, e_service=True)
    for _ in range(2):
        ServiceFactory(agency=agency)
    url = url.format(code=first.code)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        ServiceFactory(agency=agency)
    for i in range(5):  # more versions of the first service
        services.service_update(
            service=first,
            actor=Actor(user=admin),
            data={**services.service_working_snapshot(service=first), "title_en": f"Title {i}"},
        )
        services.service_publish(service=first, actor=Actor(user=admin))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["2", "999", "abc", "0", "-1", "1.5", ""])
def test_any_page_number_answers(client, pilot, page):
    response = client.get("/services/", {"q": "pabalsts", "page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.paginator.count == len(list(page_obj)) + (page_obj.number - 1) * 20 or page_obj.has_next()
    assert client.get("/services/category/social-security/", {"page": page}).status_code == 200
    api = client.get("/api/v1/services/", {"page": page})
    # the API checks the page against its schema (an integer from 1): 404 past the last page
    assert api.status_code == {"2": 200, "999": 404}.get(page, 400)
