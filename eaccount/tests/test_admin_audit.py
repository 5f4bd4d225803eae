"""Every door to register data, roles and logins writes the audit trail: the Django admin's pages of
persons, organisations, parents and children, board members and users (add, change, delete, and the
"delete selected" action), and refused logins (the demo page and the identity provider's answer)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from eaccount.models import BoardMembership, ParentChild, Person, StaffRole, User
from eaccount.oidc import AssuranceOIDCBackend

from .factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ADMIN_ADDRESS = "192.0.2.10"


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:eaccount_{model}_{view}", args=args)


def the_event(action: str) -> AuditEvent:
    """The one event of the action (fails on none or several)."""
    return AuditEvent.objects.get(action=action)


def assert_by_admin(event: AuditEvent, superuser, target) -> None:
    assert event.actor_id == superuser.pk
    assert event.actor_label == str(superuser)
    assert event.ip_address == ADMIN_ADDRESS
    assert (event.object_type, event.object_id) == (target._meta.label_lower, str(target.pk))


# --- the Django admin -----------------------------------------------------------------------------


def test_adding_oneself_as_a_board_member_in_the_admin_is_recorded(admin_client, superuser):
    # given a company and the platform admin's own person
    company = OrganisationFactory()

    # when the admin adds herself to its board in the Django admin
    response = admin_client.post(
        admin_url("boardmembership", "add"),
        {
            "person": superuser.person.pk,
            "organisation": company.pk,
            "position": "Valdes locekle",
            "valid_from": "2026-01-05",
            "valid_until": "",
            "_save": "Save",
        },
        REMOTE_ADDR=ADMIN_ADDRESS,
    )

    # then the membership exists and one event names her, her address, the membership and its fields
    assert response.status_code == 302
    membership = BoardMembership.objects.get(organisation=company)
    event = the_event("register.board_membership.add")
    assert_by_admin(event, superuser, membership)
    assert event.data["fields"] == {
        "person": superuser.person.pk,
        "organisation": company.pk,
        "position": "Valdes locekle",
        "valid_from": "2026-01-05",
        "valid_until": None,
    }
    assert AuditEvent.objects.count() == 1


def person_form_data(person: Person, **changes) -> dict:
    data = {
        "personal_code": person.personal_code,
        "previous_personal_code": person.previous_personal_code or "",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "municipality": person.municipality_id or "",
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "has_eid": "on" if person.has_eid else "",
        "_save": "Save",
    }
    return {**data, **changes}


def test_changing_a_persons_name_in_the_admin_records_the_changed_field_only(admin_client, superuser):
    # given a person
    person = PersonFactory(first_name="Anna", last_name="Bērziņa")

    # when the admin changes her first name
    response = admin_client.post(
        admin_url("person", "change", person.pk),
        person_form_data(person, first_name="Annija"),
        REMOTE_ADDR=ADMIN_ADDRESS,
    )

    # then one event holds the new and the previous name, and nothing else
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Annija"
    event = the_event("register.person.change")
    assert_by_admin(event, superuser, person)
    assert event.data == {"fields": {"first_name": "Annija"}, "previous": {"first_name": "Anna"}}
    assert AuditEvent.objects.count() == 1


def test_saving_a_person_unchanged_in_the_admin_records_nothing(admin_client):
    person = PersonFactory()

    response = admin_client.post(admin_url("person", "change", person.pk), person_form_data(person))

    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_deleting_a_parent_child_link_in_the_admin_is_recorded(admin_client, superuser):
    # given a parent and child link
    link = ParentChildFactory()
    parent_id, child_id, link_pk = link.parent_id, link.child_id, link.pk

    # when the admin deletes it on its delete page
    response = admin_client.post(
        admin_url("parentchild", "delete", link_pk), {"post": "yes"}, REMOTE_ADDR=ADMIN_ADDRESS
    )

    # then it is gone, and one event names the admin and the link, with what it was
    assert response.status_code == 302
    assert not ParentChild.objects.filter(pk=link_pk).exists()
    event = the_event("register.parent_child.delete")
    link.pk = link_pk
    assert_by_admin(event, superuser, link)
    assert event.data == {
        "previous": {"id": link_pk, "parent": parent_id, "child": child_id},
        "deleted_with": {},
    }
    assert AuditEvent.objects.count() == 1


def test_the_delete_selected_action_records_one_event_per_link(admin_client, superuser):
    # given three links, two of them selected
    chosen, kept = [ParentChildFactory(), ParentChildFactory()], ParentChildFactory()
    chosen_ids = sorted(str(link.pk) for link in chosen)

    # when the admin confirms "delete selected"
    response = admin_client.post(
        admin_url("parentchild", "changelist"),
        {"action": "delete_selected", "_selected_action": chosen_ids, "post": "yes"},
        REMOTE_ADDR=ADMIN_ADDRESS,
    )

    # then the two are gone, each with its one event by the admin from her address
    assert response.status_code == 302
    assert list(ParentChild.objects.all()) == [kept]
    events = AuditEvent.objects.filter(action="register.parent_child.delete")
    assert sorted(e.object_id for e in events) == chosen_ids
    assert {(e.actor_id, e.ip_address, e.object_type) for e in events} == {
        (superuser.pk, ADMIN_ADDRESS, "eaccount.parentchild")
    }
    assert AuditEvent.objects.count() == 2


def test_deleting_a_person_records_the_register_rows_deleted_with_them(admin_client, superuser):
    # given a person who is a parent and a board member
    person = PersonFactory()
    link = ParentChildFactory(parent=person)
    membership = BoardMembershipFactory(person=person)
    person_pk = person.pk

    # when the admin deletes the person
    response = admin_client.post(
        admin_url("person", "delete", person_pk), {"post": "yes"}, REMOTE_ADDR=ADMIN_ADDRESS
    )

    # then one event names the person and the link and membership that went with them
    assert response.status_code == 302
    event = the_event("register.person.delete")
    assert (event.object_type, event.object_id) == ("eaccount.person", str(person_pk))
    assert event.data["previous"]["personal_code"] == person.personal_code
    assert event.data["deleted_with"] == {
        "eaccount.boardmembership": [str(membership.pk)],
        "eaccount.parentchild": [str(link.pk)],
    }
    assert AuditEvent.objects.count() == 1


def test_changing_an_organisations_name_in_the_admin_is_recorded(admin_client, superuser):
    company = OrganisationFactory(name="SIA Vecais")

    response = admin_client.post(
        admin_url("organisation", "change", company.pk),
        {
            "registration_number": company.registration_number,
            "name": "SIA Jaunais",
            "address": company.address,
            "email": company.email,
            "_save": "Save",
        },
        REMOTE_ADDR=ADMIN_ADDRESS,
    )

    assert response.status_code == 302
    event = the_event("register.organisation.change")
    assert_by_admin(event, superuser, company)
    assert event.data == {"fields": {"name": "SIA Jaunais"}, "previous": {"name": "SIA Vecais"}}


def test_making_a_user_superuser_in_the_admin_is_recorded_without_the_password(admin_client, superuser):
    # given a user
    user = UserFactory(date_joined=timezone.now().replace(microsecond=0))
    joined = timezone.localtime(user.date_joined)

    # when the admin makes them staff and superuser
    response = admin_client.post(
        admin_url("user", "change", user.pk),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "person": user.person_id,
            "_save": "Save",
        },
        REMOTE_ADDR=ADMIN_ADDRESS,
    )

    # then one event holds the change of role, and never the password
    assert response.status_code == 302, response.content.decode()
    event = the_event("account.user.change")
    assert_by_admin(event, superuser, user)
    assert event.data["fields"] == {"is_staff": True, "is_superuser": True}, event.data
    assert "password" not in json.dumps(event.data)


@pytest.mark.parametrize("view", ["change", "delete"])
def test_staff_roles_have_no_door_around_the_audited_services_in_the_admin(admin_client, view):
    # given a role
    role = StaffRoleFactory()

    # when even a superuser posts its change or delete page
    response = admin_client.post(
        admin_url("staffrole", view, role.pk), {"post": "yes", "kind": "platform_admin"}
    )

    # then it is refused and nothing changed (grants and revocations go through eaccount.services)
    assert response.status_code == 403
    assert StaffRole.objects.get(pk=role.pk).kind == role.kind
    assert not AuditEvent.objects.exists()


# --- refused logins: the demo page ----------------------------------------------------------------

LOGIN = reverse("eaccount:login")


@pytest.mark.parametrize(
    "person, means, reasons",
    [
        (lambda: "999999", "eid_card", ["invalid_choice"]),  # nobody
        (lambda: str(PersonFactory(has_eid=False).pk), "eid_card", ["no_login"]),  # no eID, no login
        (lambda: str(UserFactory(is_active=False).person.pk), "eid_card", ["no_login"]),
        (lambda: str(UserFactory().person.pk), "password", ["invalid_choice"]),  # no such means
    ],
)
def test_a_refused_demo_login_is_recorded_with_the_address_and_what_was_tried(client, person, means, reasons):
    # given an attempt to log in as someone who may not
    tried = person()

    # when it is posted
    response = client.post(LOGIN, {"person": tried, "means": means}, REMOTE_ADDR="203.0.113.9")

    # then nobody is logged in, and the failure is in the trail: from where, as whom, with what, why
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    event = the_event("auth.login_failed")
    assert event.actor_id is None
    assert event.ip_address == "203.0.113.9"
    assert event.data == {"person": tried, "means": means, "reasons": reasons}


def test_refused_demo_logins_are_recorded_and_still_rate_limited(client, settings):
    # given a limit of 2 failures a minute
    settings.LOGIN_FAILURE_RATE = "2/m"
    user = UserFactory()

    # when one address fails twice and then tries a correct login
    for _ in range(2):
        client.post(LOGIN, {"person": 999_999, "means": "eid_card"})
    blocked = client.post(LOGIN, {"person": user.person.pk, "means": "eid_card"})

    # then both failures are recorded, and the third attempt is blocked (and not written: no flood)
    assert AuditEvent.objects.filter(action="auth.login_failed", ip_address="127.0.0.1").count() == 2
    assert blocked.status_code == 429
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_successful_demo_login_records_no_failure(client):
    response = client.post(LOGIN, {"person": UserFactory().person.pk, "means": "eid_card"})

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


# --- refused logins: the identity provider's answer (a stand-in provider on loopback) --------------

CLIENT_SECRET = "the-stand-in-providers-client-secret"  # noqa: S105 - a test key
NONCE = "the-nonce"


class StandInProvider(BaseHTTPRequestHandler):
    """The token and user-info endpoints of an OpenID provider, answering what the test set."""

    id_token_key = CLIENT_SECRET
    claims: dict = {}

    def _answer(self, body: dict) -> None:
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):  # the token endpoint
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        id_token = jwt.encode(
            {"sub": "x", "nonce": NONCE, "acr": "high"}, self.id_token_key, algorithm="HS256"
        )
        self._answer({"id_token": id_token, "access_token": "access-token", "token_type": "Bearer"})

    def do_GET(self):  # the user-info endpoint
        self._answer(self.claims)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    handler = type("Provider", (StandInProvider,), {"claims": {}})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_PERSONAL_CODE_CLAIM = "serialNumber"
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "eaccount:login"  # the oidc/ URLs are mounted only when on
    yield handler
    server.shutdown()
    server.server_close()


def callback():
    """The portal's side of the callback: the backend with the provider's code, as the view calls it."""
    request = RequestFactory().get(
        "/oidc/callback/", {"code": "the-code", "state": "s"}, REMOTE_ADDR="192.0.2.1"
    )
    request.session = SessionStore()
    return AssuranceOIDCBackend().authenticate(request, nonce=NONCE), request


CLAIMS = {"serialNumber": "PNOLV-161175-19997", "given_name": "Inese", "family_name": "Kalna"}


def test_the_stand_in_provider_logs_a_person_in(provider):
    provider.claims = CLAIMS

    user, _ = callback()

    assert user.person.personal_code == "161175-19997"
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_claims_without_a_valid_personal_code_are_recorded_as_a_failed_login(provider):
    # given a provider vouching for something that is not a Latvian personal code
    provider.claims = {**CLAIMS, "serialNumber": "PNOEE-38001085718"}

    # when its answer comes back
    user, _ = callback()

    # then nobody is logged in, and the failure is recorded with what was claimed (no token, no code)
    assert user is None
    assert not User.objects.exists()
    event = the_event("auth.login_failed")
    assert event.ip_address == "192.0.2.1"
    assert event.data == {
        "means": "oidc",
        "reason": "no_valid_personal_code",
        "personal_code": "PNOEE-38001085718",
    }
    assert "the-code" not in json.dumps(event.data) and "access-token" not in json.dumps(event.data)


def test_a_token_not_signed_by_the_provider_is_refused_and_recorded(provider):
    # given an ID token signed with another key
    provider.claims = CLAIMS
    provider.id_token_key = "someone-elses-key-of-32-bytes-or-more"  # noqa: S105

    # when it comes back
    with pytest.raises(SuspiciousOperation):
        callback()

    # then nobody is logged in, and the refusal is recorded
    assert not User.objects.exists()
    event = the_event("auth.login_failed")
    assert (event.ip_address, event.data) == ("192.0.2.1", {"means": "oidc", "reason": "token_refused"})


def test_an_inactive_users_login_is_refused_and_recorded(provider):
    # given a user whose login was switched off
    user = UserFactory(person__personal_code="161175-19997", is_active=False)
    provider.claims = CLAIMS

    # when the provider vouches for them
    answer, request = callback()

    # then the login is refused without a level, and recorded as a failure (not as a login)
    assert answer is None
    assert "assurance_level" not in request.session
    event = the_event("auth.login_failed")
    assert (event.object_type, event.object_id) == ("eaccount.user", str(user.pk))
    assert event.data == {"means": "oidc", "reason": "inactive"}
    assert not AuditEvent.objects.filter(action="auth.login").exists()
