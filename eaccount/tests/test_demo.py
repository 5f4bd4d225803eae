"""The demo people include a centre admin and a person with a previous personal code; loading twice
changes nothing."""

import pytest

from catalogue.demo import load_pilot_catalogue
from eaccount import rules, selectors
from eaccount.demo import load_demo_people
from eaccount.models import StaffRole

pytestmark = pytest.mark.django_db


def test_demo_people_have_permanent_roles_a_centre_admin_and_a_previous_code():
    load_pilot_catalogue()

    people = load_demo_people()
    again = load_demo_people()

    assert {key: p.pk for key, p in again.items()} == {key: p.pk for key, p in people.items()}
    assert (
        StaffRole.objects.count()
        == StaffRole.objects.filter(permanent=True, valid_until__isnull=True).count()
        > 0
    )
    centre_admin = people["centre_admin"].user
    specialist_centres = selectors.centre_ids_for_user(user=people["centre_specialist"].user)
    assert selectors.centre_ids_administered(user=centre_admin) == specialist_centres
    assert rules.staff_role_grant_scope(user=centre_admin).centre_ids == frozenset(specialist_centres)
    assert {key for key, person in people.items() if hasattr(person, "user") and person.user.is_staff} == {
        "centre_admin",
        "vsaa_admin",
        "pmlp_admin",
        "platform_admin",
    }
    board_member = people["board_member"]
    assert (
        board_member.personal_code.startswith("32") and board_member.previous_personal_code == "120380-12348"
    )
    assert selectors.person_get_by_personal_code(personal_code="12038012348") == board_member
