"""An admin grants and revokes their own staff's roles (Reg. 401 Annex 2 notes 3-4): staff_grant and
staff_revoke of access_rights.services.staff."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from access_rights import services
from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from eaccount.models import StaffRole, User
from eaccount.tests.factories import PersonFactory, StaffRoleFactory, UserFactory, new_personal_code_for
from kernel.actors import Actor
from kernel.errors import Invalid, NotFound
from notifications.models import Notification

pytestmark = pytest.mark.django_db

REFUSED = "access_rights.refused"


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def next_midnight(day):
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def state():
    return (
        list(StaffRole.objects.order_by("pk").values_list("pk", "kind", "revoked_at")),
        User.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action=REFUSED).count(),
    )


def refused(user, attempted: str):
    return AuditEvent.objects.filter(action=REFUSED, actor_id=user.pk, data__attempted=attempted)


def told(person, change: str):
    """The holder's staff_role_changed notices about a grant or a revoke."""
    return Notification.objects.filter(
        topic="staff_role_changed", recipient_person=person, dedupe_key__startswith=f"role-{change}:"
    )


@pytest.fixture
def agency():
    return AgencyFactory(code="AGA")


@pytest.fixture
def other_agency():
    return AgencyFactory(code="AGB")


@pytest.fixture
def centre():
    return ServiceCentreFactory(code="VPVKAC-C")


@pytest.fixture
def agency_admin(agency):
    return StaffRoleFactory(kind="agency_admin", agency=agency).user


@pytest.fixture
def centre_admin(centre):
    return StaffRoleFactory(kind="centre_admin", centre=centre).user


@pytest.fixture
def worker():
    """A person in the register with a login and no role."""
    return UserFactory().person


# --- staff_grant -------------------------------------------------------------------------------------


def test_an_agency_admin_grants_agency_staff_until_a_date(agency_admin, agency, worker):
    role = services.staff_grant(
        actor=Actor(user=agency_admin),
        personal_code=worker.personal_code,
        kind="agency_staff",
        agency=agency,
        valid_until=in_days(90),
    )

    role.refresh_from_db()
    assert (role.user.person, role.kind, role.agency, role.centre) == (worker, "agency_staff", agency, None)
    assert role.valid_until == next_midnight(in_days(90))
    assert timezone.localtime(role.valid_until).time() == time.min
    assert (role.permanent, role.revoked_at, role.granted_by) == (False, None, agency_admin)
    assert StaffRole.objects.active().filter(pk=role.pk).exists()
    (event,) = AuditEvent.objects.filter(action="role.grant")
    assert (event.actor_id, event.object_id) == (agency_admin.pk, str(role.pk))
    assert told(worker, "grant").exists()


def test_an_agency_admin_grants_agency_staff_permanently(agency_admin, agency, worker):
    role = services.staff_grant(
        actor=Actor(user=agency_admin),
        personal_code=worker.personal_code,
        kind="agency_staff",
        agency=agency,
        permanent=True,
    )

    assert (role.permanent, role.valid_until) == (True, None)
    assert told(worker, "grant").exists()


def test_the_person_is_found_by_any_spelling_of_their_personal_code(agency_admin, agency, worker):
    code = worker.personal_code.replace("-", "")

    role = services.staff_grant(
        actor=Actor(user=agency_admin), personal_code=code, kind="agency_staff", agency=agency, permanent=True
    )

    assert role.user.person == worker


@pytest.mark.parametrize(
    ("valid_until", "permanent"),
    [
        (in_days(-1), False),  # in the past
        (in_days(0), False),  # today: not after today
        (None, False),  # neither a term nor permanent
        (in_days(30), True),  # both
    ],
)
def test_a_term_not_after_today_or_no_term_is_refused(agency_admin, agency, worker, valid_until, permanent):
    before = state()

    with pytest.raises(Invalid) as raised:
        services.staff_grant(
            actor=Actor(user=agency_admin),
            personal_code=worker.personal_code,
            kind="agency_staff",
            agency=agency,
            valid_until=valid_until,
            permanent=permanent,
        )

    assert raised.value.status == 422
    assert set(raised.value.field_errors) == {"valid_until"}
    assert state() == before


@pytest.mark.parametrize("code", [new_personal_code_for(765432), "12345", ""])
def test_an_unknown_person_is_refused(agency_admin, agency, code):
    before = state()

    with pytest.raises(Invalid) as raised:
        services.staff_grant(
            actor=Actor(user=agency_admin),
            personal_code=code,
            kind="agency_staff",
            agency=agency,
            permanent=True,
        )

    assert set(raised.value.field_errors) == {"personal_code"}
    assert state() == before


def test_unknown_person_and_bad_term_are_said_together(agency_admin, agency):
    with pytest.raises(Invalid) as raised:
        services.staff_grant(
            actor=Actor(user=agency_admin),
            personal_code=new_personal_code_for(765433),
            kind="agency_staff",
            agency=agency,
            valid_until=in_days(-3),
        )

    assert set(raised.value.field_errors) == {"personal_code", "valid_until"}


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("agency_staff", "other_agency"),  # another agency
        ("agency_admin", "agency"),  # an admin-level role, even in one's own agency
        ("platform_admin", None),
        ("centre_specialist", "centre"),  # a centre's role
        ("agency_staff", "centre"),  # kind and scope do not fit
    ],
)
def test_an_agency_admin_outside_their_scope_is_refused_and_audited(
    agency_admin, agency, other_agency, centre, kind, where
):
    person = PersonFactory()  # no login: none is created for a refused grant
    scope = {
        "agency": {"agency": agency},
        "other_agency": {"agency": other_agency},
        "centre": {"centre": centre},
        None: {},
    }[where]
    before = state()

    with pytest.raises(StaffRoleGrantNotAllowed) as raised:
        services.staff_grant(
            actor=Actor(user=agency_admin),
            personal_code=person.personal_code,
            kind=kind,
            permanent=True,
            **scope,
        )

    assert raised.value.status == 403
    assert state() == before
    assert not User.objects.filter(person=person).exists()
    (event,) = refused(agency_admin, "role.grant")
    assert event.data["kind"] == kind
    assert event.data["person"] == person.pk


def test_an_admin_cannot_grant_a_role_to_themselves(agency_admin, agency):
    before = state()

    with pytest.raises(StaffRoleGrantNotAllowed) as raised:
        services.staff_grant(
            actor=Actor(user=agency_admin),
            personal_code=agency_admin.person.personal_code,
            kind="agency_staff",
            agency=agency,
            permanent=True,
        )

    assert raised.value.status == 403
    assert state() == before
    assert refused(agency_admin, "role.grant").count() == 1


def test_a_platform_admin_cannot_grant_themselves_either():
    admin = StaffRoleFactory(kind="platform_admin").user

    with pytest.raises(StaffRoleGrantNotAllowed):
        services.staff_grant(
            actor=Actor(user=admin),
            personal_code=admin.person.personal_code,
            kind="agency_admin",
            agency=AgencyFactory(),
            permanent=True,
        )

    assert refused(admin, "role.grant").count() == 1


@pytest.mark.parametrize("who", ["staff", "citizen", "former_admin"])
def test_someone_who_administers_nothing_grants_nothing(agency, worker, who):
    user = {
        "staff": lambda: StaffRoleFactory(kind="agency_staff", agency=agency).user,
        "citizen": lambda: UserFactory(),
        "former_admin": lambda: (
            StaffRoleFactory(kind="agency_admin", agency=agency, revoked_at=timezone.now()).user
        ),
    }[who]()
    before = state()

    with pytest.raises(StaffRoleGrantNotAllowed):
        services.staff_grant(
            actor=Actor(user=user),
            personal_code=worker.personal_code,
            kind="agency_staff",
            agency=agency,
            permanent=True,
        )

    assert state() == before
    assert refused(user, "role.grant").count() == 1


def test_a_centre_admin_grants_a_centre_specialist(centre_admin, centre, worker):
    role = services.staff_grant(
        actor=Actor(user=centre_admin),
        personal_code=worker.personal_code,
        kind="centre_specialist",
        centre=centre,
        valid_until=in_days(14),
    )

    assert (role.kind, role.centre, role.agency) == ("centre_specialist", centre, None)
    assert role.valid_until == next_midnight(in_days(14))
    assert told(worker, "grant").exists()


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("centre_specialist", "other_centre"),
        ("centre_admin", "centre"),
        ("agency_staff", "municipality"),  # the centre's municipality is not the centre admin's
    ],
)
def test_a_centre_admin_outside_their_scope_is_refused(centre_admin, centre, worker, kind, where):
    scope = {
        "other_centre": {"centre": ServiceCentreFactory()},
        "centre": {"centre": centre},
        "municipality": {"agency": centre.municipality},
    }[where]
    before = state()

    with pytest.raises(StaffRoleGrantNotAllowed):
        services.staff_grant(
            actor=Actor(user=centre_admin),
            personal_code=worker.personal_code,
            kind=kind,
            permanent=True,
            **scope,
        )

    assert state() == before
    assert refused(centre_admin, "role.grant").count() == 1


def test_a_person_without_a_login_gets_one(agency_admin, agency):
    person = PersonFactory()
    assert not User.objects.filter(person=person).exists()

    role = services.staff_grant(
        actor=Actor(user=agency_admin),
        personal_code=person.personal_code,
        kind="agency_staff",
        agency=agency,
        valid_until=in_days(30),
    )

    user = User.objects.get(person=person)
    assert role.user == user
    assert user.username == person.personal_code
    assert (user.first_name, user.last_name) == (person.first_name, person.last_name)
    assert not user.has_usable_password()
    assert told(person, "grant").exists()


def test_a_platform_admin_grants_an_agency_admin():
    admin = StaffRoleFactory(kind="platform_admin").user
    agency = AgencyFactory()
    person = PersonFactory()

    role = services.staff_grant(
        actor=Actor(user=admin),
        personal_code=person.personal_code,
        kind="agency_admin",
        agency=agency,
        permanent=True,
    )

    assert (role.kind, role.agency, role.granted_by) == ("agency_admin", agency, admin)


# --- staff_revoke ------------------------------------------------------------------------------------


def test_an_agency_admin_revokes_a_role_of_their_agency_and_the_holder_is_told(agency_admin, agency):
    role = StaffRoleFactory(kind="agency_staff", agency=agency)

    revoked = services.staff_revoke(
        actor=Actor(user=agency_admin), role_id=role.pk, reason="  Aiziet no darba  "
    )

    role.refresh_from_db()
    assert revoked.pk == role.pk
    assert role.revoked_at is not None
    assert not StaffRole.objects.active().filter(pk=role.pk).exists()
    (event,) = AuditEvent.objects.filter(action="role.revoke")
    assert (event.actor_id, event.object_id, event.reason) == (
        agency_admin.pk,
        str(role.pk),
        "Aiziet no darba",
    )
    assert told(role.user.person, "revoke").exists()


def test_a_centre_admin_revokes_a_specialist_of_their_centre(centre_admin, centre):
    role = StaffRoleFactory(kind="centre_specialist", centre=centre)

    services.staff_revoke(actor=Actor(user=centre_admin), role_id=role.pk)

    role.refresh_from_db()
    assert role.revoked_at is not None


@pytest.mark.parametrize(
    "target",
    [
        "staff_of_other_agency",
        "admin_of_own_agency",  # admin-level: the ministry revokes it, on a request
        "specialist_of_a_centre",
        "platform_admin",
    ],
)
def test_revoking_outside_ones_scope_is_refused_and_audited(agency_admin, agency, other_agency, target):
    role = {
        "staff_of_other_agency": lambda: StaffRoleFactory(kind="agency_staff", agency=other_agency),
        "admin_of_own_agency": lambda: StaffRoleFactory(kind="agency_admin", agency=agency),
        "specialist_of_a_centre": lambda: StaffRoleFactory(kind="centre_specialist"),
        "platform_admin": lambda: StaffRoleFactory(kind="platform_admin"),
    }[target]()
    before = state()

    with pytest.raises(StaffRoleRevokeNotAllowed) as raised:
        services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)

    assert raised.value.status == 403
    assert state() == before
    role.refresh_from_db()
    assert role.revoked_at is None
    (event,) = refused(agency_admin, "role.revoke")
    assert (event.object_type, event.object_id) == ("eaccount.staffrole", str(role.pk))


def test_a_staff_member_revokes_nothing(agency):
    colleague = StaffRoleFactory(kind="agency_staff", agency=agency)
    staff = StaffRoleFactory(kind="agency_staff", agency=agency).user

    with pytest.raises(StaffRoleRevokeNotAllowed):
        services.staff_revoke(actor=Actor(user=staff), role_id=colleague.pk)

    colleague.refresh_from_db()
    assert colleague.revoked_at is None
    assert refused(staff, "role.revoke").count() == 1


def test_an_unknown_role_is_not_found(agency_admin):
    with pytest.raises(NotFound):
        services.staff_revoke(actor=Actor(user=agency_admin), role_id=987654)


def test_revoking_twice_changes_nothing_the_second_time(agency_admin, agency):
    role = StaffRoleFactory(kind="agency_staff", agency=agency)
    services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)
    role.refresh_from_db()
    first_revoked_at = role.revoked_at
    before = state()

    again = services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)

    role.refresh_from_db()
    assert again.revoked_at == first_revoked_at == role.revoked_at
    assert state() == before
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1
    notices = told(role.user.person, "revoke")
    assert notices.count() == len({row.channel for row in notices})  # one per channel, not doubled


def test_a_role_granted_and_revoked_tells_the_holder_both(agency_admin, agency, worker):
    role = services.staff_grant(
        actor=Actor(user=agency_admin),
        personal_code=worker.personal_code,
        kind="agency_staff",
        agency=agency,
        permanent=True,
    )

    services.staff_revoke(actor=Actor(user=agency_admin), role_id=role.pk)

    assert told(worker, "grant").exists()
    assert told(worker, "revoke").exists()
