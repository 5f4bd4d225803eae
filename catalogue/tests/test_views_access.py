"""The editing pages and the editing API tell nothing by probing codes: another agency's draft,
another agency's published service and a code nobody has get the same answer, 404 with the same
body, on every editing URL, for GET and POST; and the refused POSTs change nothing."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import services
from catalogue.constants import ServiceState
from catalogue.models import Service, ServiceVersion

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "9876"
# (URL name, accepts GET): withdraw and discard are POST only (GET: 405 whatever the code); publish
# answers GET with the changes to confirm
EDITING_URLS = [
    ("catalogue:manage-edit", True),
    ("catalogue:manage-preview", True),
    ("catalogue:manage-publish", True),
    ("catalogue:manage-withdraw", False),
    ("catalogue:manage-discard", False),
    ("catalogue:manage-history", True),
]
PROBES = [(name, method) for name, _get in EDITING_URLS for method in ("get", "post")]
# who probes VSAA's services: another agency's admin, VSAA's own staff (not an admin), a citizen
PROBERS = ["pmlp_admin", "vsaa_staff", "citizen"]


@pytest.fixture
def targets(pilot):
    """VSAA's draft, VSAA's published service, and a code nobody has."""
    vsaa = pilot.agencies["VSAA"]
    draft = ServiceFactory(code="8801", agency=vsaa, state=ServiceState.DRAFT)
    assert not Service.objects.filter(code=UNKNOWN).exists()
    return {"draft": draft.code, "published": "1011", "unknown": UNKNOWN}


def state_of(code):
    service = Service.objects.filter(code=code).first()
    if service is None:
        return None
    return (
        services.service_working_snapshot(service=service),
        service.state,
        service.version,
        service.pending,
        ServiceVersion.objects.filter(service=service).count(),
    )


def body_shape(response, code: str) -> str:
    """The page less what differs by construction: the CSRF tokens and the code in the address (as a
    path segment, plain or URL-encoded: a user's name or code elsewhere on the page may hold it too)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', text)
    return text.replace(f"/{code}/", "/CODE/").replace(f"%2F{code}%2F", "%2FCODE%2F")


def _accepts(name: str, method: str) -> bool:
    return method == "post" or dict(EDITING_URLS)[name]


@pytest.mark.parametrize("who", PROBERS)
@pytest.mark.parametrize(("name", "method"), PROBES)
def test_probing_another_agencys_codes_gets_one_answer(login, people, targets, who, name, method):
    client = login(people[who])
    before = {code: state_of(code) for code in targets.values()}
    audit_before = AuditEvent.objects.filter(action__startswith="catalogue.").count()

    responses = {
        kind: getattr(client, method)(reverse(name, kwargs={"code": code}), {"title_lv": "Uzlauzts"})
        for kind, code in targets.items()
    }

    expected = 404 if _accepts(name, method) else 405
    assert {kind: r.status_code for kind, r in responses.items()} == dict.fromkeys(targets, expected)
    shapes = {body_shape(responses[kind], code) for kind, code in targets.items()}
    assert len(shapes) == 1
    assert "You may edit your own agency" not in shapes.pop()
    assert {code: state_of(code) for code in targets.values()} == before
    assert AuditEvent.objects.filter(action__startswith="catalogue.").count() == audit_before


@pytest.mark.parametrize("kind", ["draft", "published"])
@pytest.mark.parametrize("name", [name for name, accepts_get in EDITING_URLS if accepts_get])
def test_the_own_agencys_admin_still_opens_the_editing_pages(login, people, targets, kind, name):
    client = login(people["vsaa_admin"])

    response = client.get(reverse(name, kwargs={"code": targets[kind]}))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["vsaa_admin", "platform_admin"])
def test_the_own_agencys_admin_still_posts(login, people, targets, who):
    client = login(people[who])
    code = targets["draft"]

    response = client.post(reverse("catalogue:manage-publish", kwargs={"code": code}), {"confirm": "on"})

    assert response.status_code == 302
    assert Service.objects.get(code=code).state == ServiceState.PUBLISHED


def test_an_object_permission_still_opens_the_editing_pages(login, people, targets):
    from guardian.shortcuts import assign_perm

    staff = people["vsaa_staff"]
    assign_perm("catalogue.edit_service", staff, Service.objects.get(code=targets["published"]))
    client = login(staff)

    assert (
        client.get(reverse("catalogue:manage-edit", kwargs={"code": targets["published"]})).status_code == 200
    )
    assert client.get(reverse("catalogue:manage-edit", kwargs={"code": targets["draft"]})).status_code == 404


# --- the editing API answers alike ----------------------------------------------------------------


@pytest.mark.parametrize("who", PROBERS)
@pytest.mark.parametrize("call", ["patch", "publish"])
def test_the_editing_api_gives_one_answer_for_missing_and_forbidden(client, people, targets, who, call):
    client.force_login(people[who])
    before = {code: state_of(code) for code in targets.values()}

    responses = {
        kind: (
            client.patch(f"/api/v1/services/{code}/", {"title_en": "Probe"}, content_type="application/json")
            if call == "patch"
            else client.post(f"/api/v1/services/{code}/publish/")
        )
        for kind, code in targets.items()
    }

    assert {kind: r.status_code for kind, r in responses.items()} == dict.fromkeys(targets, 404)
    assert all(r["Content-Type"].startswith("application/problem+json") for r in responses.values())
    assert (
        len({body_shape(r, code) for r, code in zip(responses.values(), targets.values(), strict=True)}) == 1
    )
    assert {code: state_of(code) for code in targets.values()} == before


def test_the_editing_api_still_serves_the_own_agencys_admin(client, people, targets):
    client.force_login(people["vsaa_admin"])

    response = client.patch(
        f"/api/v1/services/{targets['draft']}/",
        {"title_en": "Draft, changed"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert Service.objects.get(code=targets["draft"]).title_en == "Draft, changed"
