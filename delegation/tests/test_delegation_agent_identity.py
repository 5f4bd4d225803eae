"""The delegation form is no oracle of the register: the principal names the person they trust by
personal code, first name and last name; a wrong name and an unknown code get the same answer, no
stored name is shown, and lookups are limited per user."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from delegation import services
from delegation.exceptions import AgentLookupLimited, AgentNotMatched
from delegation.models import Delegation
from eaccount.selectors import person_get_by_code_and_name, person_get_by_personal_code
from eaccount.tests.factories import PersonFactory, UserFactory, new_personal_code_for, personal_code_for
from kernel.actors import Actor

pytestmark = pytest.mark.django_db

URL = reverse("delegation:delegations")
NOT_MATCHED = "The personal code and name do not match a person we know."
LIMITED = "Too many attempts to name a person you trust. Try again later."


def login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    client.cookies["django_language"] = "en"


@pytest.fixture
def stranger():
    return PersonFactory(first_name="Zelma", last_name="Ābeltiņa")


@pytest.fixture
def unknown_code():
    code = personal_code_for(987_654)
    assert person_get_by_personal_code(personal_code=code) is None
    return code


def grant(client, *, code, first_name, last_name, valid_until=""):
    return client.post(
        URL,
        {"personal_code": code, "first_name": first_name, "last_name": last_name, "valid_until": valid_until},
    )


def page_without_input(response, typed_code: str) -> str:
    """The page, less what differs by construction: the CSRF token and the code the user typed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return html.replace(typed_code, "TYPED-CODE")


# --- the same answer for a wrong name and an unknown code ----------------------------------------


def test_a_strangers_code_with_a_wrong_name_and_an_unknown_code_get_the_same_answer(
    client, stranger, unknown_code
):
    login(client, UserFactory())

    wrong_name = grant(client, code=stranger.personal_code, first_name="Anna", last_name="Kalniņa")
    unknown = grant(client, code=unknown_code, first_name="Anna", last_name="Kalniņa")

    assert wrong_name.status_code == unknown.status_code == 400
    assert wrong_name.context["form"].errors == unknown.context["form"].errors
    assert wrong_name.context["form"].non_field_errors() == [NOT_MATCHED]
    assert page_without_input(wrong_name, stranger.personal_code) == page_without_input(unknown, unknown_code)
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [("Anna", "Kalniņa"), ("Zelma", "Kalniņa"), ("Anna", "Ābeltiņa"), ("", ""), ("Zelma", "Abeltina")],
)
def test_the_page_never_shows_the_stored_name_of_a_code(client, stranger, first_name, last_name):
    login(client, UserFactory())

    response = grant(client, code=stranger.personal_code, first_name=first_name, last_name=last_name)

    assert response.status_code == 400
    html = response.content.decode()
    for stored in {"Zelma", "Ābeltiņa"} - {first_name, last_name}:
        assert stored not in html
    assert "No person with this personal code was found." not in html
    assert not Delegation.objects.exists()


def test_a_code_that_is_not_valid_is_told_apart_without_asking_the_register(client):
    login(client, UserFactory())

    response = grant(client, code="010101-00001", first_name="Anna", last_name="Kalniņa")

    assert response.status_code == 400
    assert "personal_code" in response.context["form"].errors
    assert NOT_MATCHED not in response.content.decode()


@override_settings(DELEGATION_LOOKUP_RATE="1/h")
def test_a_wrong_period_gets_the_same_answer_whether_the_names_match_or_not(client, stranger, unknown_code):
    login(client, UserFactory())
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    right_names = grant(
        client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa", valid_until=yesterday
    )
    unknown = grant(
        client, code=unknown_code, first_name="Zelma", last_name="Ābeltiņa", valid_until=yesterday
    )

    assert right_names.status_code == unknown.status_code == 400
    assert right_names.context["form"].errors == unknown.context["form"].errors
    assert list(unknown.context["form"].errors) == ["valid_until"]
    assert not Delegation.objects.exists()
    # the register was not asked: the one lookup the rate allows is still there
    assert (
        grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa").status_code
        == 302
    )


# --- the right code and name give the delegation -------------------------------------------------


def test_the_right_code_and_name_give_the_delegation(client, stranger):
    principal = UserFactory()
    login(client, principal)

    response = grant(client, code=stranger.personal_code, first_name="  zelma ", last_name="ĀBELTIŅA")

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.agent == stranger and delegation.principal == principal.person


@pytest.mark.parametrize(
    ("first_name", "last_name", "matches"),
    [
        ("Zelma", "Ābeltiņa", True),
        ("zelma", "ābeltiņa", True),
        (" ZELMA  ", "\tĀbeltiņa ", True),
        ("Zelma", "A\u0304beltin\u0327a", True),  # the same letters, typed as base letter + accent
        ("Zelma", "Abeltina", False),  # a Latvian letter is a letter of its own
        ("Zelma", "Ābeltiņa-Ozola", False),
        ("Zelmа", "Ābeltiņa", False),  # a Cyrillic "а" is not a Latin "a"
        ("", "Ābeltiņa", False),
    ],
)
def test_person_by_code_and_name(stranger, first_name, last_name, matches):
    found = person_get_by_code_and_name(
        personal_code=stranger.personal_code, first_name=first_name, last_name=last_name
    )

    assert found == (stranger if matches else None)


def test_person_by_a_previous_code_or_a_code_spelt_otherwise():
    old_code = personal_code_for(876_543)
    person = PersonFactory(
        personal_code=new_personal_code_for(876_543),
        previous_personal_code=old_code,
        first_name="Kārlis",
        last_name="Zariņš",
    )

    assert (
        person_get_by_code_and_name(personal_code=old_code, first_name="Kārlis", last_name="Zariņš") == person
    )
    assert (
        person_get_by_code_and_name(
            personal_code=person.personal_code.replace("-", ""), first_name="kārlis", last_name="zariņš"
        )
        == person
    )
    assert (
        person_get_by_code_and_name(personal_code="not a code", first_name="Kārlis", last_name="Zariņš")
        is None
    )


# --- a script cannot go through the register -----------------------------------------------------


@override_settings(DELEGATION_LOOKUP_RATE="3/h")
def test_lookups_past_the_rate_are_refused_and_create_nothing(client, stranger, unknown_code):
    login(client, UserFactory())
    for code in (unknown_code, stranger.personal_code, unknown_code):
        assert grant(client, code=code, first_name="Anna", last_name="Kalniņa").status_code == 400

    response = grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa")

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [LIMITED]
    assert NOT_MATCHED not in response.content.decode()
    assert not Delegation.objects.exists()


@override_settings(DELEGATION_LOOKUP_RATE="2/h")
def test_the_limit_counts_every_lookup_and_is_per_user(client, stranger):
    first, second = UserFactory(), UserFactory()
    login(client, first)
    assert (
        grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa").status_code
        == 302
    )
    assert (
        grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa").status_code
        == 302
    )
    assert (
        grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa").status_code
        == 429
    )

    login(client, second)
    response = grant(client, code=stranger.personal_code, first_name="Zelma", last_name="Ābeltiņa")

    assert response.status_code == 302
    assert Delegation.objects.filter(agent=stranger).count() == 3


@override_settings(DELEGATION_LOOKUP_RATE="1/h")
def test_the_service_limits_lookups_without_a_request(stranger, unknown_code):
    principal = UserFactory()
    actor = Actor(user=principal)
    with pytest.raises(AgentNotMatched):
        services.delegation_grant_to_person_named(
            actor=actor, principal=principal.person, personal_code=unknown_code, first_name="A", last_name="B"
        )

    with pytest.raises(AgentLookupLimited):
        services.delegation_grant_to_person_named(
            actor=actor,
            principal=principal.person,
            personal_code=stranger.personal_code,
            first_name="Zelma",
            last_name="Ābeltiņa",
        )

    assert not Delegation.objects.exists()


def test_a_delegate_cannot_use_the_service_to_look_anyone_up(stranger):
    principal, delegate = UserFactory(), UserFactory()
    services.delegation_grant(actor=Actor(user=principal), principal=principal.person, agent=delegate.person)

    with pytest.raises(ValidationError):
        services.delegation_grant_to_person_named(
            actor=Actor(user=delegate),
            principal=principal.person,
            personal_code=stranger.personal_code,
            first_name="Zelma",
            last_name="Ābeltiņa",
        )

    assert not Delegation.objects.filter(agent=stranger).exists()
