"""Staff roles: validity periods, scope constraints, and audited grant and revoke."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from eaccount import selectors, services
from eaccount.constants import StaffRoleKind
from eaccount.models import StaffRole

from .factories import AgencyFactory, ServiceCentreFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


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
        (StaffRoleKind.PLATFORM_ADMIN, True, False),
    ],
)
def test_the_database_refuses_a_role_whose_scope_does_not_match_its_kind(kind, with_agency, with_centre):
    user = UserFactory()
    agency = AgencyFactory() if with_agency else None
    centre = ServiceCentreFactory() if with_centre else None
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(user=user, kind=kind, agency=agency, centre=centre)
    assert not StaffRole.objects.filter(user=user).exists()


def test_the_database_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRoleFactory(valid_from=NOW, valid_until=NOW - timedelta(days=1))


def test_grant_refuses_an_agency_role_without_agency_and_writes_nothing():
    admin, user = UserFactory(), UserFactory()
    with pytest.raises(ValidationError):
        services.staff_role_grant(granted_by=admin, user=user, kind=StaffRoleKind.AGENCY_STAFF)
    assert not StaffRole.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_grant_and_revoke_are_recorded():
    # given an agency admin and a new staff member
    admin, user = UserFactory(), UserFactory()
    agency = AgencyFactory(code="VSAA")
    until = timezone.now() + timedelta(days=90)
    # when the admin grants a fixed-term role
    role = services.staff_role_grant(
        granted_by=admin, user=user, kind=StaffRoleKind.AGENCY_STAFF, agency=agency, valid_until=until
    )
    # then the role is active and the grant is in the audit trail
    assert selectors.agency_ids_for_user(user=user) == {agency.pk}
    grant = AuditEvent.objects.get(action="role.grant")
    assert grant.actor_id == admin.pk
    assert (grant.object_type, grant.object_id) == ("eaccount.staffrole", str(role.pk))
    assert grant.data["agency"] == "VSAA"
    assert grant.data["valid_until"] == until.isoformat()
    # when the admin revokes it
    services.staff_role_revoke(revoked_by=admin, role=role, reason="left the agency")
    # then it no longer counts, and the revocation is recorded once even if repeated
    services.staff_role_revoke(revoked_by=admin, role=role, reason="again")
    assert selectors.agency_ids_for_user(user=user) == set()
    revoke = AuditEvent.objects.get(action="role.revoke")
    assert revoke.reason == "left the agency"
    assert revoke.actor_id == admin.pk


def test_selectors_answer_who_is_what():
    specialist = StaffRoleFactory(kind=StaffRoleKind.CENTRE_SPECIALIST)
    admin = StaffRoleFactory(kind=StaffRoleKind.AGENCY_ADMIN)
    platform = StaffRoleFactory(kind=StaffRoleKind.PLATFORM_ADMIN)
    citizen = UserFactory()
    assert selectors.centre_ids_for_user(user=specialist.user) == {specialist.centre_id}
    assert selectors.agency_ids_administered(user=admin.user) == {admin.agency_id}
    assert selectors.agency_ids_administered(user=specialist.user) == set()
    assert selectors.user_is_platform_admin(user=platform.user)
    assert not selectors.user_is_platform_admin(user=admin.user)
    assert all(selectors.user_is_official(user=r.user) for r in (specialist, admin, platform))
    assert not selectors.user_is_official(user=citizen)
