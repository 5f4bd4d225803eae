"""The staff-role pages of the Django admin follow the grant rule: an agency admin (staff in the admin)
sees and grants the roles of their own agency only, a centre admin of their own centre only; what
the form does not offer is refused when posted anyway, and nothing is written."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from eaccount.constants import StaffRoleKind
from eaccount.models import StaffRole

from .factories import AgencyFactory, ServiceCentreFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:eaccount_staffrole_add")
LIST_URL = reverse("admin:eaccount_staffrole_changelist")
UNTIL = timezone.localtime() + timedelta(days=90)


@pytest.fixture
def places():
    return {
        "A": AgencyFactory(code="AGA"),
        "B": AgencyFactory(code="AGB"),
        "C1": ServiceCentreFactory(code="VPVKAC-C1"),
        "C2": ServiceCentreFactory(code="VPVKAC-C2"),
    }


def admin_user(**kwargs):
    """A user who may enter the admin (is_staff) and holds the Django permissions on staff roles,
    as an admin user is set up today: the permissions alone must not let them grant anything."""
    user = UserFactory(is_staff=True, **kwargs)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="eaccount", codename__endswith="_staffrole")
    )
    return user


def staff_user_with(kind, **where):
    """A user in the admin who holds a role of `kind`."""
    return StaffRoleFactory(kind=kind, user=admin_user(), **where).user


@pytest.fixture
def agency_admin(places):
    return staff_user_with(StaffRoleKind.AGENCY_ADMIN, agency=places["A"])


@pytest.fixture
def centre_admin(places):
    return staff_user_with(StaffRoleKind.CENTRE_ADMIN, centre=places["C1"])


def grant_data(grantee, kind, *, agency=None, centre=None, until=UNTIL, permanent=False):
    now = timezone.localtime()
    data = {
        "user": grantee.pk,
        "kind": kind,
        "agency": agency.pk if agency else "",
        "centre": centre.pk if centre else "",
        "valid_from_0": now.strftime("%Y-%m-%d"),
        "valid_from_1": now.strftime("%H:%M:%S"),
        "valid_until_0": until.strftime("%Y-%m-%d") if until else "",
        "valid_until_1": until.strftime("%H:%M:%S") if until else "",
        "_save": "Save",
    }
    if permanent:
        data["permanent"] = "on"
    return data


def test_an_agency_admin_grants_a_role_of_their_agency_through_the_admin(client, agency_admin, places):
    # given an agency admin of A in the admin, and a new staff member
    client.force_login(agency_admin)
    grantee = UserFactory()

    # when they grant a fixed-term staff role in A
    response = client.post(ADD_URL, grant_data(grantee, "agency_staff", agency=places["A"]))

    # then it is granted, by them, through the service (so it is in the audit trail)
    assert response.status_code == 302, response.context["adminform"].form.errors
    role = StaffRole.objects.get(user=grantee)
    assert (role.kind, role.agency, role.granted_by) == ("agency_staff", places["A"], agency_admin)
    assert not role.permanent
    assert AuditEvent.objects.filter(action="role.grant", actor_id=agency_admin.pk).count() == 1


def test_the_add_form_offers_only_what_the_agency_admin_may_grant(client, agency_admin, places):
    client.force_login(agency_admin)

    form = client.get(ADD_URL).context["adminform"].form

    # an admin-level role is the platform admin's to grant, on an Annex 2 request
    assert {value for value, _label in form.fields["kind"].choices if value} == {"agency_staff"}
    assert list(form.fields["agency"].queryset) == [places["A"]]
    assert not form.fields["centre"].queryset.exists()


@pytest.mark.parametrize(
    "granter, kind, where",
    [
        ("agency_admin", "agency_staff", {"agency": "B"}),  # another agency
        ("agency_admin", "agency_admin", {"agency": "B"}),
        ("agency_admin", "centre_specialist", {"centre": "C1"}),  # a centre
        ("agency_admin", "platform_admin", {}),
        ("centre_admin", "centre_specialist", {"centre": "C2"}),  # another centre
        ("centre_admin", "centre_admin", {"centre": "C2"}),
        ("centre_admin", "agency_staff", {"agency": "A"}),  # an agency
        ("centre_admin", "platform_admin", {}),
    ],
)
def test_a_grant_outside_the_admins_scope_is_refused_and_nothing_is_written(
    client, request, places, granter, kind, where
):
    # given an admin of one agency or centre, in the admin
    user = request.getfixturevalue(granter)
    client.force_login(user)
    grantee = UserFactory()
    scope = {key: places[name] for key, name in where.items()}

    # when they post a grant the form does not offer
    response = client.post(ADD_URL, grant_data(grantee, kind, **scope))

    # then the form refuses it, and no role and no audit event is written
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not StaffRole.objects.filter(user=grantee).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_a_centre_admin_grants_a_role_of_their_centre(client, centre_admin, places):
    client.force_login(centre_admin)
    grantee = UserFactory()

    response = client.post(
        ADD_URL, grant_data(grantee, "centre_specialist", centre=places["C1"], permanent=True, until=None)
    )

    assert response.status_code == 302
    role = StaffRole.objects.get(user=grantee)
    assert (role.kind, role.centre, role.permanent, role.valid_until) == (
        "centre_specialist",
        places["C1"],
        True,
        None,
    )


def test_a_grant_with_neither_a_term_nor_the_permanent_mark_is_refused_on_valid_until(
    client, agency_admin, places
):
    client.force_login(agency_admin)
    grantee = UserFactory()

    response = client.post(ADD_URL, grant_data(grantee, "agency_staff", agency=places["A"], until=None))

    assert response.status_code == 200
    assert "valid_until" in response.context["adminform"].form.errors
    assert not StaffRole.objects.filter(user=grantee).exists()


@pytest.mark.parametrize("kind", [StaffRoleKind.AGENCY_STAFF, StaffRoleKind.CENTRE_SPECIALIST, None])
def test_staff_who_administer_nothing_may_not_open_or_post_the_page(client, places, kind):
    # given a user in the admin with no admin role (agency staff, a specialist, or no role at all)
    user = staff_user_with(kind, agency=places["A"]) if kind == "agency_staff" else None
    if kind == StaffRoleKind.CENTRE_SPECIALIST:
        user = staff_user_with(kind, centre=places["C1"])
    user = user or admin_user()
    client.force_login(user)
    grantee = UserFactory()

    # when they open the pages or post a grant in their own agency
    pages = [client.get(ADD_URL), client.get(LIST_URL)]
    posted = client.post(ADD_URL, grant_data(grantee, "agency_staff", agency=places["A"]))

    # then everything is refused and nothing is written
    assert [page.status_code for page in pages] == [403, 403]
    assert posted.status_code == 403
    assert not StaffRole.objects.filter(user=grantee).exists()


def test_the_list_shows_only_the_roles_of_the_admins_agency(client, agency_admin, places):
    own = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=places["A"])
    other = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=places["B"])
    client.force_login(agency_admin)

    listed = set(client.get(LIST_URL).context["cl"].queryset)

    assert own in listed and other not in listed
    assert client.get(reverse("admin:eaccount_staffrole_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )


def test_the_revoke_action_revokes_own_roles_and_leaves_the_others(client, agency_admin, places):
    # given a role in the admin's agency and one in another
    own = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=places["A"])
    other = StaffRoleFactory(kind=StaffRoleKind.AGENCY_STAFF, agency=places["B"])
    client.force_login(agency_admin)

    # when the admin selects both and revokes them
    client.post(LIST_URL, {"action": "revoke", "_selected_action": [own.pk, other.pk]})

    # then only their own agency's role is revoked
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None
    assert other.revoked_at is None
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1


def test_save_refuses_a_grant_outside_the_scope_even_past_the_form(agency_admin, places):
    # given the admin's save step reached with a grant in another agency (as a crafted form would)
    model_admin = site._registry[StaffRole]
    request = RequestFactory().post(ADD_URL, REMOTE_ADDR="192.0.2.4")
    request.user = agency_admin
    request.session = {}
    grantee = UserFactory()
    role = StaffRole(user=grantee, kind="agency_admin", agency=places["B"], valid_until=UNTIL)

    # when it saves
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, role, form=None, change=False)

    # then nothing is written
    assert not StaffRole.objects.filter(user=grantee).exists()


def test_a_platform_admin_is_offered_every_kind_and_grants_a_permanent_platform_admin(client, places):
    platform_admin = staff_user_with(StaffRoleKind.PLATFORM_ADMIN)
    client.force_login(platform_admin)
    grantee = UserFactory()

    offered = client.get(ADD_URL).context["adminform"].form.fields["kind"].choices
    response = client.post(ADD_URL, grant_data(grantee, "platform_admin", until=None, permanent=True))

    assert {value for value, _label in offered if value} == set(StaffRoleKind.values)
    assert response.status_code == 302
    assert StaffRole.objects.get(user=grantee).is_permanent
