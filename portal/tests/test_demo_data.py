"""`load_demo_data` loads the catalogue and the demo people, and is safe to run again."""

import pytest
from django.apps import apps
from django.core.management import call_command

from eaccount import selectors
from eaccount.demo import DEMO_NEWBORNS, DEMO_PERSONS
from eaccount.models import Person

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("audit", "catalogue", "eaccount", "delegation", "requests_registry")
        for model in apps.get_app_config(app).get_models()
    }


def test_load_demo_data_twice_changes_nothing(capsys):
    # given the demo data loaded once
    call_command("load_demo_data")
    first = row_counts()
    # when it is loaded again
    call_command("load_demo_data")
    # then no row was added or removed anywhere
    assert row_counts() == first
    assert first["eaccount.Person"] == len(DEMO_PERSONS) + len(DEMO_NEWBORNS)
    assert first["catalogue.Service"] > 0
    assert "Demo data ready" in capsys.readouterr().out


def test_demo_people_are_who_the_brief_says():
    call_command("load_demo_data")
    people = {key: Person.objects.get(personal_code=code) for key, (code, *_rest) in DEMO_PERSONS.items()}
    assert people["citizen_parent"].full_name == "Anna Bērziņa"
    assert people["child"].is_minor
    assert not hasattr(people["child"], "user")
    assert not hasattr(people["client_without_eid"], "user")
    anna_children = {link.child for link in people["citizen_parent"].children_links.all()}
    assert people["child"] in anna_children and len(anna_children) == 2  # Jānis and the newborn
    assert people["board_member"].board_memberships.get().organisation.registration_number == "40003000002"
    specialist = people["centre_specialist"].user
    assert len(selectors.centre_ids_for_user(user=specialist)) == 1
    assert selectors.user_is_platform_admin(user=people["platform_admin"].user)
    assert selectors.agency_ids_administered(user=people["vsaa_admin"].user)
    assert selectors.agency_ids_administered(user=people["pmlp_admin"].user)
    assert people["board_member"].personal_code.startswith("32")  # a new-format code among them
