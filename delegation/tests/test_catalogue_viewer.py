"""The catalogue's viewer facts, as delegation provides them from whom the user acts for now."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from catalogue.tests.factories import AgencyFactory, ServiceFactory
from catalogue.viewer import viewer_from_request
from eaccount.tests.factories import (
    BoardMembershipFactory,
    ParentChildFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from kernel.actors import Actor
from kernel.constants import Basis

pytestmark = pytest.mark.django_db


def request_of(user, **actor):
    request = RequestFactory().get("/services/")
    request.user = user
    request.actor = Actor(user=user, **actor)
    return request


def test_anonymous_visitors_have_no_audience():
    request = RequestFactory().get("/services/")
    request.user = AnonymousUser()

    assert viewer_from_request(request).audiences is None


def test_a_citizen_sees_person_services_of_their_municipality():
    riga = AgencyFactory(kind="municipality")
    user = UserFactory(person=PersonFactory(municipality=riga))

    viewer = viewer_from_request(request_of(user, principal=user.person))

    assert viewer.audiences == {"person"} and viewer.municipality_id == riga.pk
    assert not viewer.is_official and not viewer.for_minor


def test_a_board_member_also_sees_company_services_and_only_those_acting_for_the_company():
    board = BoardMembershipFactory()
    user = UserFactory(person=board.person)

    assert viewer_from_request(request_of(user, principal=user.person)).audiences == {
        "person",
        "organisation",
    }
    acting = viewer_from_request(
        request_of(user, principal=board.organisation, basis=Basis.LEGAL_REPRESENTATION)
    )
    assert acting.audiences == {"organisation"} and acting.municipality_id is None


def test_acting_for_a_child_the_childs_municipality_and_minor_services():
    valmiera = AgencyFactory(kind="municipality")
    link = ParentChildFactory(child=PersonFactory(born=datetime.date(2018, 7, 3), municipality=valmiera))
    parent = UserFactory(person=link.parent)

    viewer = viewer_from_request(request_of(parent, principal=link.child, basis=Basis.LEGAL_REPRESENTATION))

    assert viewer.municipality_id == valmiera.pk and viewer.for_minor


def test_officials_are_officials():
    role = StaffRoleFactory(kind="agency_staff")

    assert viewer_from_request(request_of(role.user)).is_official


def test_acting_for_a_minor_the_catalogue_offers_only_services_a_minor_may_be_the_client_of(client):
    link = ParentChildFactory()
    parent = UserFactory(person=link.parent)
    agency = AgencyFactory()
    for_adults = ServiceFactory(title_lv="Pieaugušo pakalpojums", agency=agency)
    for_children = ServiceFactory(title_lv="Bērna pase", agency=agency, minor_may_be_client=True)
    client.force_login(parent)
    session = client.session
    session["assurance_level"] = "high"
    session.save()

    as_parent = client.get(reverse("catalogue:index"), {"agency": agency.code}).content.decode()
    client.post(reverse("delegation:act-for"), {"principal": f"person:{link.child.pk}"})
    as_child = client.get(reverse("catalogue:index"), {"agency": agency.code}).content.decode()

    assert for_adults.title_lv in as_parent and for_children.title_lv in as_parent
    assert for_adults.title_lv not in as_child and for_children.title_lv in as_child
