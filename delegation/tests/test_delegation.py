"""Whom a user may act for, and the "acting for" switch shown in the header."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from delegation.constants import SESSION_ACTING_FOR_KEY, Basis
from delegation.selectors import basis_for, principals_for
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()


def test_principals_self_minor_children_and_current_boards():
    user = UserFactory()
    minor = ParentChildFactory(parent=user.person).child
    adult = ParentChildFactory(parent=user.person, child=PersonFactory(born=datetime.date(1990, 1, 1))).child
    today = timezone.localdate()
    company = BoardMembershipFactory(person=user.person).organisation
    BoardMembershipFactory(person=user.person, valid_until=today - datetime.timedelta(days=1))
    BoardMembershipFactory(person=user.person, valid_from=today + datetime.timedelta(days=1))

    principals = principals_for(user=user)

    assert [(p.kind, p.id, p.basis) for p in principals] == [
        ("person", user.person.pk, Basis.SELF),
        ("person", minor.pk, Basis.LEGAL_REPRESENTATION),
        ("organisation", company.pk, Basis.LEGAL_REPRESENTATION),
    ]
    assert basis_for(user=user, client=minor) == Basis.LEGAL_REPRESENTATION
    assert basis_for(user=user, client=adult) is None
    assert basis_for(user=user, client=OrganisationFactory()) is None
    assert basis_for(user=user, client=user.person) == Basis.SELF


def test_principals_of_anonymous_and_personless_users():
    from django.contrib.auth.models import AnonymousUser

    assert principals_for(user=AnonymousUser()) == []
    from eaccount.models import User

    assert principals_for(user=User.objects.create_user(username="robot")) == []


def test_act_for_switch_shows_in_header_and_is_audited(client):
    link = ParentChildFactory()
    user = UserFactory(person=link.parent)
    login(client, user)

    response = client.post(
        reverse("delegation:act-for"), {"principal": f"person:{link.child.pk}", "next": "/cases/"}
    )

    assert response.status_code == 302 and response["Location"] == "/cases/"
    page = client.get(reverse("eaccount:profile"))
    assert page.context["acting_for"].id == link.child.pk
    assert link.child.full_name in page.content.decode()
    assert AuditEvent.objects.filter(action="delegation.act_for", actor_id=user.pk).exists()


def test_act_for_refuses_stranger_and_external_next(client):
    user = UserFactory()
    login(client, user)
    stranger = PersonFactory()
    response = client.post(reverse("delegation:act-for"), {"principal": f"person:{stranger.pk}"})
    assert response.status_code == 200  # the form again, with an error
    assert SESSION_ACTING_FOR_KEY not in client.session
    company = BoardMembershipFactory(person=user.person).organisation
    response = client.post(
        reverse("delegation:act-for"),
        {"principal": f"organisation:{company.pk}", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/cases/"


def test_stale_choice_falls_back_to_self(client):
    user = UserFactory()
    membership = BoardMembershipFactory(person=user.person)
    login(client, user)
    client.post(reverse("delegation:act-for"), {"principal": f"organisation:{membership.organisation.pk}"})
    membership.delete()  # no longer on the board

    page = client.get(reverse("eaccount:profile"))

    assert page.context["acting_for"] is None
    assert SESSION_ACTING_FOR_KEY not in client.session


# --- the cached choices: a change through any door shows at the next request ---------------------


def _choices(client) -> str:
    return client.get(reverse("delegation:act-for")).content.decode()


def test_whom_one_may_act_for_is_read_once_and_kept_until_something_changes(
    client, django_assert_num_queries
):
    user = UserFactory()
    login(client, user)
    _choices(client)  # read and kept

    with CaptureQueriesContext(connection) as queries:
        _choices(client)
    assert not [q for q in queries.captured_queries if "eaccount_parentchild" in q["sql"]]

    # a board membership made elsewhere (the admin, a register import): the next page offers it
    membership = BoardMembershipFactory(person=user.person)
    assert membership.organisation.name in _choices(client)
    # a child registered: offered too; the membership ended: gone
    link = ParentChildFactory(parent=user.person)
    membership.delete()
    page = _choices(client)
    assert link.child.first_name in page and membership.organisation.name not in page
