"""Staff roles: validity periods, scope constraints, a term or the permanent mark, who may grant and
revoke what (Reg. 401 Annex 2), and audited grant and revoke."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from eaccount import selectors, services
from eaccount.constants import StaffRoleKind
from eaccount.exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from eaccount.models import StaffRole
from kernel.actors import Actor
from kernel.constants import Channel
from kernel.errors import Invalid, PermissionDenied

from .factories import AgencyFactory, ServiceCentreFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
IN_90_DAYS = NOW + timedelta(days=90)


def actor_for(user, ip="198.51.100.7") -> Actor:
    return Actor(user=user, channel=Channel.AGENCY, ip=ip)


@pytest.mark.parametrize(
    "valid_from, valid_until, revoked_at, active",
    [
        (NOW - timedelta(days=1), None, None, True),  # permanent
        (NOW - timedelta(days=1), NOW + timedelta(days=1), None, True),  # fixed-term, running
        (NOW + timedelta(days=1), NOW + timedelta(days=2), None, False),  # not started yet
        (NOW - timedelta(days=2), NOW - timedelta(days=1), None, False),  # ended
        (NOW - timedelta(days=1), None, NOW - timedelta(minutes=1), False),  # revoked
    ],
)
def test_active_honours_the_period_and_revocation(valid_from, valid_until, revoked_at, active):
    role = StaffRoleFactory(valid_from=valid_from, valid_until=valid_until, revoked_at=revoked_at)
    assert StaffRole.objects.active(at=NOW).filter(pk=role.pk).exists() is active
    assert (role in selectors.staff_roles_active(user=role.user)) is (active and valid_from <= timezone.now())


def test_role_ends_exactly_at_valid_until():
    role = StaffRoleFactory(valid_from=NOW - timedelta(days=1), valid_until=NOW)
    assert not StaffRole.objects.active(at=NOW).filter(pk=role.pk).exists()
    assert StaffRole.objects.active(at=NOW - timedelta(seconds=1)).filter(pk=role.pk).exists()


@pytest.mark.parametrize(
    "kind, with_agency, with_centre",
    [
        (StaffRoleKind.AGENCY_STAFF, False, False),
        (StaffRoleKind.AGENCY_ADMIN, False, True),
        (StaffRoleKind.CENTRE_SPECIALIST, True, False),
        (StaffRoleKind.CENTRE_SPECIALIST, False, False),
        (StaffRoleKind.CENTRE_ADMIN, True, False),
        (StaffRoleKind.CENTRE_ADMIN, False, False),
        (StaffRoleKind.CENTRE_ADMIN, True, True),
        (StaffRoleKind.PLATFORM_ADMIN, True, False),
    ],
)
def test_the_database_refuses_a_role_whose_scope_does_not_match_its_kind(kind, with_agency, with_centre):
    user = UserFactory()
    agency = AgencyFactory() if with_agency else None
    centre = ServiceCentreFactory() if with_centre else None

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(user=user, kind=kind, agency=agency, centre=centre, permanent=True)

    assert not StaffRole.objects.filter(user=user).exists()


def test_the_database_accepts_a_centre_admin_of_a_centre():
    role = StaffRole.objects.create(
        user=UserFactory(), kind=StaffRoleKind.CENTRE_ADMIN, centre=ServiceCentreFactory(), permanent=True
    )

    assert selectors.centre_ids_administered(user=role.user) == {role.centre_id}


@pytest.mark.parametrize("permanent, valid_until", [(False, None), (True, IN_90_DAYS)])
def test_the_database_refuses_a_role_without_a_term_or_with_both(permanent, valid_until):
    user = UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(
            user=user, kind=StaffRoleKind.PLATFORM_ADMIN, permanent=permanent, valid_until=valid_until
        )

    assert not StaffRole.objects.filter(user=user).exists()


def test_the_database_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRoleFactory(valid_from=NOW, valid_until=NOW - timedelta(days=1))


def test_is_permanent_is_the_explicit_mark():
    assert StaffRoleFactory(permanent=True, valid_until=None).is_permanent
    assert not StaffRoleFactory(valid_until=IN_90_DAYS).is_permanent


# --- granting: scope, term ---------------------------------------------------------------------


@pytest.fixture
def platform_admin():
    return StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN).user


def test_grant_refuses_an_agency_role_without_agency_and_writes_nothing(platform_admin):
    user = UserFactory()

    with pytest.raises(Invalid) as refused:
        services.staff_role_grant(
            actor=actor_for(platform_admin),
            user=user,
            kind=StaffRoleKind.AGENCY_STAFF,
            valid_until=IN_90_DAYS,
        )

    assert "agency" in refused.value.field_errors
    assert not StaffRole.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_grant_without_a_term_or_the_permanent_mark_is_refused_on_valid_until(platform_admin):
    user, agency = UserFactory(), AgencyFactory()

    with pytest.raises(Invalid) as refused:
        services.staff_role_grant(
            actor=actor_for(platform_admin), user=user, kind=StaffRoleKind.AGENCY_STAFF, agency=agency
        )

    assert refused.value.status == 422
    assert list(refused.value.field_errors) == ["valid_until"]
    assert not StaffRole.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_a_permanent_grant_with_an_end_date_is_refused(platform_admin):
    user, agency = UserFactory(), AgencyFactory()

    with pytest.raises(Invalid) as refused:
        services.staff_role_grant(
            actor=actor_for(platform_admin),
            user=user,
            kind=StaffRoleKind.AGENCY_STAFF,
            agency=agency,
            valid_until=IN_90_DAYS,
            permanent=True,
        )

    assert list(refused.value.field_errors) == ["valid_until"]
    assert not StaffRole.objects.filter(user=user).exists()


def test_a_permanent_grant_is_recorded_as_permanent(platform_admin):
    user, agency = UserFactory(), AgencyFactory()

    role = services.staff_role_grant(
        actor=actor_for(platform_admin),
        user=user,
        kind=StaffRoleKind.AGENCY_ADMIN,
        agency=agency,
        permanent=True,
    )

    assert role.is_permanent and role.valid_until is None
    assert selectors.agency_ids_administered(user=user) == {agency.pk}
    event = AuditEvent.objects.get(action="role.grant")
    assert event.data["permanent"] is True
    assert event.data["valid_until"] is None


def test_grant_and_revoke_are_recorded_with_the_actor_and_the_address():
    # given an agency admin and a new staff member
    agency = AgencyFactory(code="VSAA")
    admin = StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN, agency=agency).user
    user = UserFactory()
    actor = actor_for(admin, ip="203.0.113.9")

    # when the admin grants a fixed-term role
    role = services.staff_role_grant(
        actor=actor, user=user, kind=StaffRoleKind.AGENCY_STAFF, agency=agency, valid_until=IN_90_DAYS
    )

    # then the role is active and the grant is in the audit trail, with who, from where and the term
    assert selectors.agency_ids_for_user(user=user) == {agency.pk}
    assert role.granted_by == admin
    grant = AuditEvent.objects.get(action="role.grant")
    assert grant.actor_id == admin.pk
    assert grant.ip_address == "203.0.113.9"
    assert (grant.object_type, grant.object_id) == ("eaccount.staffrole", str(role.pk))
    assert grant.data["agency"] == "VSAA"
    assert grant.data["valid_until"] == IN_90_DAYS.isoformat()
    assert grant.data["permanent"] is False

    # when the admin revokes it, twice
    services.staff_role_revoke(actor=actor, role=role, reason="left the agency")
    services.staff_role_revoke(actor=actor, role=role, reason="again")

    # then it no longer counts, and the revocation is recorded once
    assert selectors.agency_ids_for_user(user=user) == set()
    revoke = AuditEvent.objects.get(action="role.revoke")
    assert revoke.reason == "left the agency"
    assert revoke.actor_id == admin.pk
    assert revoke.ip_address == "203.0.113.9"


# --- who may grant what (Reg. 401 Annex 2) --------------------------------------------------------


@pytest.fixture
def world():
    """Agencies A and B, centres C1 and C2, and one user of each kind that may ask to grant."""
    a, b = AgencyFactory(code="AGA"), AgencyFactory(code="AGB")
    c1, c2 = ServiceCentreFactory(code="VPVKAC-C1"), ServiceCentreFactory(code="VPVKAC-C2")
    superuser = UserFactory()
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    return {
        "scopes": {
            "A": {"agency": a},
            "B": {"agency": b},
            "C1": {"centre": c1},
            "C2": {"centre": c2},
            "-": {},
        },
        "granters": {
            "platform_admin": StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN).user,
            "superuser": superuser,
            "agency_admin_of_A": StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN, agency=a).user,
            "centre_admin_of_C1": StaffRoleFactory(kind=StaffRoleKind.CENTRE_ADMIN, centre=c1).user,
            "agency_staff_of_A": StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=a).user,
            "centre_specialist_of_C1": StaffRoleFactory(kind=StaffRoleKind.CENTRE_SPECIALIST, centre=c1).user,
            "expired_agency_admin_of_A": StaffRoleFactory(
                kind=StaffRoleKind.AGENCY_ADMIN,
                agency=a,
                valid_from=NOW - timedelta(days=30),
                valid_until=NOW - timedelta(days=1),
            ).user,
            "citizen": UserFactory(),
        },
    }


TARGETS = [
    ("agency_staff", "A"),
    ("agency_admin", "A"),
    ("agency_staff", "B"),
    ("agency_admin", "B"),
    ("centre_specialist", "C1"),
    ("centre_admin", "C1"),
    ("centre_specialist", "C2"),
    ("centre_admin", "C2"),
    ("platform_admin", "-"),
]
ALLOWED = {
    "platform_admin": set(TARGETS),
    "superuser": set(TARGETS),
    # admin-level roles only by the platform admin, on an Annex 2 request
    "agency_admin_of_A": {("agency_staff", "A")},
    "centre_admin_of_C1": {("centre_specialist", "C1")},
    "agency_staff_of_A": set(),
    "centre_specialist_of_C1": set(),
    "expired_agency_admin_of_A": set(),
    "citizen": set(),
}
CASES = [(granter, kind, scope) for granter in ALLOWED for kind, scope in TARGETS]


@pytest.mark.parametrize("granter, kind, scope", CASES)
def test_who_may_grant_what(world, granter, kind, scope):
    # given a user who asks to grant a role of this kind in this agency or centre
    user = UserFactory()
    where = world["scopes"][scope]
    allowed = (kind, scope) in ALLOWED[granter]
    actor = actor_for(world["granters"][granter])

    # when they grant it
    def grant():
        return services.staff_role_grant(actor=actor, user=user, kind=kind, valid_until=IN_90_DAYS, **where)

    # then it is granted only within their own agency or centre (any, for a platform admin)
    if allowed:
        assert grant().kind == kind
        assert StaffRole.objects.filter(user=user, kind=kind).count() == 1
    else:
        with pytest.raises(StaffRoleGrantNotAllowed) as refused:
            grant()
        assert isinstance(refused.value, PermissionDenied)
        assert (refused.value.code, refused.value.status) == ("staff_role.grant_not_allowed", 403)
        assert not StaffRole.objects.filter(user=user).exists()
        assert not AuditEvent.objects.filter(action="role.grant").exists()


@pytest.mark.parametrize("granter, kind, scope", CASES)
def test_who_may_revoke_what(world, granter, kind, scope):
    # given a role of this kind in this agency or centre
    role = StaffRoleFactory(kind=kind, **{"agency": None, "centre": None, **world["scopes"][scope]})
    allowed = (kind, scope) in ALLOWED[granter]
    actor = actor_for(world["granters"][granter])

    # when the user revokes it
    if allowed:
        services.staff_role_revoke(actor=actor, role=role)
    else:
        with pytest.raises(StaffRoleRevokeNotAllowed) as refused:
            services.staff_role_revoke(actor=actor, role=role)
        assert refused.value.code == "staff_role.revoke_not_allowed"

    # then only whoever may grant it has revoked it
    role.refresh_from_db()
    assert (role.revoked_at is not None) is allowed
    assert AuditEvent.objects.filter(action="role.revoke").exists() is allowed


def test_the_system_grants_nothing():
    user, agency = UserFactory(), AgencyFactory()

    with pytest.raises(StaffRoleGrantNotAllowed):
        services.staff_role_grant(
            actor=Actor.system("script"),
            user=user,
            kind=StaffRoleKind.AGENCY_STAFF,
            agency=agency,
            permanent=True,
        )

    assert not StaffRole.objects.filter(user=user).exists()


def test_a_revoked_admin_grants_nothing_more():
    # given an agency admin whose admin role was revoked
    agency = AgencyFactory()
    admin_role = StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN, agency=agency)
    platform_admin = StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN, agency=None).user
    services.staff_role_revoke(actor=actor_for(platform_admin), role=admin_role)
    user = UserFactory()

    # when they try to grant a role of their former agency
    with pytest.raises(StaffRoleGrantNotAllowed):
        services.staff_role_grant(
            actor=actor_for(admin_role.user),
            user=user,
            kind=StaffRoleKind.AGENCY_STAFF,
            agency=agency,
            valid_until=IN_90_DAYS,
        )

    # then nothing is granted
    assert not StaffRole.objects.filter(user=user).exists()


def test_selectors_answer_who_is_what():
    specialist = StaffRoleFactory(kind=StaffRoleKind.CENTRE_SPECIALIST)
    centre_admin = StaffRoleFactory(kind=StaffRoleKind.CENTRE_ADMIN)
    admin = StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN)
    platform = StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN)
    citizen = UserFactory()
    assert selectors.centre_ids_for_user(user=specialist.user) == {specialist.centre_id}
    assert selectors.centre_ids_administered(user=centre_admin.user) == {centre_admin.centre_id}
    assert selectors.centre_ids_administered(user=specialist.user) == set()
    assert selectors.agency_ids_administered(user=admin.user) == {admin.agency_id}
    assert selectors.agency_ids_administered(user=specialist.user) == set()
    assert selectors.user_is_platform_admin(user=platform.user)
    assert not selectors.user_is_platform_admin(user=admin.user)
    assert all(selectors.user_is_official(user=r.user) for r in (specialist, centre_admin, admin, platform))
    assert not selectors.user_is_official(user=citizen)


def test_the_roles_an_admin_may_manage_are_those_of_their_scope():
    agency_admin = StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN)
    own = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=agency_admin.agency)
    other = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF)
    centre_role = StaffRoleFactory(kind=StaffRoleKind.CENTRE_SPECIALIST)
    platform = StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN)

    manageable = set(selectors.staff_roles_manageable(user=agency_admin.user))

    assert manageable == {agency_admin, own}
    assert {other, centre_role, platform} <= set(selectors.staff_roles_manageable(user=platform.user))
    assert not selectors.staff_roles_manageable(user=own.user).exists()
