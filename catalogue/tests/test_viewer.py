from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from catalogue.viewer import viewer_from_request

from .factories import person_user


def _request(user, acting_for=None):
    request = RequestFactory().get("/services/")
    request.user = user
    if acting_for is not None:
        request.acting_for = acting_for
    return request


@pytest.mark.django_db
def test_viewer_facts(pilot):
    riga = pilot.agencies["RIGA"]
    assert viewer_from_request(_request(AnonymousUser())).audiences is None

    citizen = person_user(municipality=riga)
    viewer = viewer_from_request(_request(citizen))
    assert viewer.audiences == {"person"} and viewer.municipality_id == riga.pk and not viewer.is_official

    board = person_user(board_member=True, municipality=riga)
    assert viewer_from_request(_request(board)).audiences == {"person", "organisation"}

    # acting for a company (the delegation middleware's principal): company services only
    company = SimpleNamespace(is_person=False, obj=None)
    viewer = viewer_from_request(_request(board, acting_for=company))
    assert viewer.audiences == {"organisation"} and viewer.municipality_id is None

    # acting for a child: the child's municipality
    valmiera = pilot.agencies["VALMIERA"]
    child = SimpleNamespace(is_person=True, obj=SimpleNamespace(municipality_id=valmiera.pk))
    assert viewer_from_request(_request(citizen, acting_for=child)).municipality_id == valmiera.pk

    official = person_user(role="agency_staff", agency=pilot.agencies["VSAA"])
    assert viewer_from_request(_request(official)).is_official
