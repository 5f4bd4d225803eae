"""The session's user is loaded with their person in one precompiled query, exactly as the ORM's
`select_related("person").get(pk=…)` loads them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eaccount.backends import PersonModelBackend, user_with_person
from eaccount.models import Person, User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_a_user_and_their_person_are_what_the_orm_loads_in_one_query():
    # given a user with a person who has logged in before
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(last_login=user.date_joined)
    expected = User.objects.select_related("person").get(pk=user.pk)
    # when the backend loads them by the session's key (a string in the session)
    with CaptureQueriesContext(connection) as queries:
        loaded = user_with_person(str(user.pk))
        # then every column of both is the ORM's, with the same types (aware datetimes, dates)
        assert _values(loaded) == _values(expected)
        assert _values(loaded.person) == _values(expected.person)
        assert loaded.last_login.tzinfo is not None and loaded.person.birth_date == expected.person.birth_date
        # and the person is cached both ways, as select_related caches it
        assert loaded.person.user is loaded
        assert str(loaded) == expected.person.full_name
    assert len(queries.captured_queries) == 1
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.person._state.adding is False


def test_a_user_without_a_person_has_none_cached():
    user = User.objects.create_user(username="operator", password=None)
    with CaptureQueriesContext(connection) as queries:
        loaded = user_with_person(user.pk)
        assert loaded.person is None
        assert str(loaded) == "operator"
    assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("key", [0, 10**12, "not-a-number", ""])
def test_no_user_for_an_unknown_or_invalid_key(key):
    UserFactory()
    assert user_with_person(key) is None
    assert PersonModelBackend().get_user(key) is None


def test_an_inactive_user_is_not_the_sessions_user():
    user = UserFactory(is_active=False)
    assert PersonModelBackend().get_user(user.pk) is None


def test_a_change_is_seen_at_once():
    # the SQL is compiled once; the values are read on every call
    user = UserFactory()
    assert user_with_person(user.pk).session_epoch == 0
    User.objects.filter(pk=user.pk).update(session_epoch=3)
    Person.objects.filter(pk=user.person_id).update(first_name="Ilze")
    loaded = user_with_person(user.pk)
    assert loaded.session_epoch == 3
    assert loaded.person.first_name == "Ilze"
