"""Who may do what with access rights (Reg. 401 point 22, Annex 2): every actor against every action,
through the services and rules themselves. The expected table is written out below, one row per
actor; a refused write raises its 403 error, changes nothing and is on record."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from access_rights import rules, selectors, services
from access_rights.constants import AccessRequestStatus
from access_rights.exceptions import AccessRequestDecisionNotAllowed, AccessRequestNotAllowed
from access_rights.models import AccessRequest, AccessRequestEntry
from access_rights.services import EntryData
from access_rights.tests.signed_samples import asice_bytes, upload
from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from eaccount.models import StaffRole, User
from eaccount.tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from kernel.actors import Actor
from kernel.errors import PermissionDenied

pytestmark = pytest.mark.django_db

ACTORS = ("platform_admin", "admin_of_A", "admin_of_B", "centre_admin_of_C", "staff_of_A", "citizen")
ACTIONS = (
    "submit_request_for_A",
    "approve_request_of_A",
    "refuse_request_of_A",
    "grant_agency_staff_in_A",
    "revoke_agency_staff_in_A",
    "grant_centre_specialist_in_C",
    "see_register_of_A",
    "open_a_register",  # rules.register_visible alone: any admin has a register (their own scope's)
)

# fmt: off
EXPECTED = {
    #                     submit  approve refuse  grant A revoke A grant C  reg. A  a register
    "platform_admin":    (False,  True,   True,   True,   True,    True,    True,   True),
    "admin_of_A":        (True,   False,  False,  True,   True,    False,   True,   True),
    "admin_of_B":        (False,  False,  False,  False,  False,   False,   False,  True),
    "centre_admin_of_C": (False,  False,  False,  False,  False,   True,    False,  True),
    "staff_of_A":        (True,   False,  False,  False,  False,   False,   False,  False),
    "citizen":           (False,  False,  False,  False,  False,   False,   False,  False),
}
# fmt: on

DENIED_AS = {
    "submit_request_for_A": AccessRequestNotAllowed,
    "approve_request_of_A": AccessRequestDecisionNotAllowed,
    "refuse_request_of_A": AccessRequestDecisionNotAllowed,
    "grant_agency_staff_in_A": StaffRoleGrantNotAllowed,
    "revoke_agency_staff_in_A": StaffRoleRevokeNotAllowed,
    "grant_centre_specialist_in_C": StaffRoleGrantNotAllowed,
}
# A refused decision's audit event is rolled back today (see test_requests.py,
# test_a_refused_decision_is_audited): add the two decisions here when that is fixed.
AUDITED_WHEN_DENIED = {
    "submit_request_for_A",
    "grant_agency_staff_in_A",
    "revoke_agency_staff_in_A",
    "grant_centre_specialist_in_C",
    "approve_request_of_A",
    "refuse_request_of_A",
}


@pytest.fixture
def world():
    agency_a = AgencyFactory(code="AGA")
    agency_b = AgencyFactory(code="AGB")
    municipality = AgencyFactory(code="NOVADSM", kind="municipality")
    centre = ServiceCentreFactory(code="VPVKAC-C", municipality=municipality)
    users = {
        "platform_admin": StaffRoleFactory(kind="platform_admin").user,
        "admin_of_A": StaffRoleFactory(kind="agency_admin", agency=agency_a).user,
        "admin_of_B": StaffRoleFactory(kind="agency_admin", agency=agency_b).user,
        "centre_admin_of_C": StaffRoleFactory(kind="centre_admin", centre=centre).user,
        "staff_of_A": StaffRoleFactory(kind="agency_staff", agency=agency_a).user,
        "citizen": UserFactory(),
    }
    # another admin of A submitted a pending request naming a newcomer
    submitter = StaffRoleFactory(kind="agency_admin", agency=agency_a).user
    request = services.access_request_submit(
        actor=Actor(user=submitter),
        agency=agency_a,
        entries=[
            EntryData(
                action="grant",
                kind="agency_admin",
                personal_code=PersonFactory().personal_code,
                permanent=True,
            )
        ],
        document=upload("pieprasijums.asice", asice_bytes()),
    )
    return SimpleNamespace(
        A=agency_a,
        B=agency_b,
        C=centre,
        users=users,
        request=request,
        staff_role=StaffRoleFactory(kind="agency_staff", agency=agency_a),  # someone else's, to revoke
        newcomer=PersonFactory(),  # in the register, no login, no role
    )


def _entry(person, kind: str) -> EntryData:
    return EntryData(action="grant", kind=kind, personal_code=person.personal_code, permanent=True)


def _act(action: str, w, user):
    """Do `action` as `user`; returns whether it had its effect (a read: whether it was allowed)."""
    actor = Actor(user=user)
    if action == "submit_request_for_A":
        services.access_request_submit(
            actor=actor,
            agency=w.A,
            entries=[_entry(w.newcomer, "agency_admin")],
            document=upload("pieprasijums.asice", asice_bytes()),
        )
        return AccessRequest.objects.filter(submitted_by=user, agency=w.A).exists()
    if action == "approve_request_of_A":
        services.access_request_approve(actor=actor, request_id=w.request.pk)
        w.request.refresh_from_db()
        return w.request.status == AccessRequestStatus.APPROVED and w.request.decided_by == user
    if action == "refuse_request_of_A":
        services.access_request_refuse(actor=actor, request_id=w.request.pk, reason="Nav pamata")
        w.request.refresh_from_db()
        return w.request.status == AccessRequestStatus.REFUSED and w.request.decided_by == user
    if action == "grant_agency_staff_in_A":
        services.staff_grant(
            actor=actor,
            personal_code=w.newcomer.personal_code,
            kind="agency_staff",
            agency=w.A,
            permanent=True,
        )
        return (
            StaffRole.objects.active()
            .filter(user__person=w.newcomer, kind="agency_staff", agency=w.A)
            .exists()
        )
    if action == "revoke_agency_staff_in_A":
        services.staff_revoke(actor=actor, role_id=w.staff_role.pk)
        w.staff_role.refresh_from_db()
        return w.staff_role.revoked_at is not None
    if action == "grant_centre_specialist_in_C":
        services.staff_grant(
            actor=actor,
            personal_code=w.newcomer.personal_code,
            kind="centre_specialist",
            centre=w.C,
            permanent=True,
        )
        return (
            StaffRole.objects.active()
            .filter(user__person=w.newcomer, kind="centre_specialist", centre=w.C)
            .exists()
        )
    if action == "see_register_of_A":
        scope = selectors.scope_narrowed(selectors.scope_administered(user=user), agency_id=w.A.pk)
        return rules.register_visible(user=user) and selectors.register_roles(scope=scope).exists()
    if action == "open_a_register":
        return rules.register_visible(user=user)
    raise AssertionError(action)


def _state():
    return (
        list(AccessRequest.objects.order_by("pk").values_list("pk", "status", "decided_by")),
        list(AccessRequestEntry.objects.order_by("pk").values_list("pk", "role")),
        list(StaffRole.objects.order_by("pk").values_list("pk", "revoked_at")),
        User.objects.count(),
    )


def test_the_table_covers_every_actor_and_action():
    assert set(EXPECTED) == set(ACTORS)
    assert all(len(row) == len(ACTIONS) for row in EXPECTED.values())


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix(world, who, action):
    user = world.users[who]
    allowed = EXPECTED[who][ACTIONS.index(action)]

    if action not in DENIED_AS:  # a read
        assert _act(action, world, user) is allowed
        return
    if allowed:
        assert _act(action, world, user) is True
        assert not AuditEvent.objects.filter(action="access_rights.refused").exists()
        return
    before = _state()
    with pytest.raises(DENIED_AS[action]) as raised:
        _act(action, world, user)
    assert isinstance(raised.value, PermissionDenied)
    assert raised.value.status == 403
    assert _state() == before
    if action in AUDITED_WHEN_DENIED:
        (event,) = AuditEvent.objects.filter(action="access_rights.refused", actor_id=user.pk)
        assert event.data["attempted"] in (
            "access_request.submit",
            "access_request.approve",
            "access_request.refuse",
            "role.grant",
            "role.revoke",
        )
