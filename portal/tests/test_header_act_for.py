"""The header's "acting for" switch: whom the user acts for, and one small form per choice that
switches and comes back to the page; it adds no query to a page once the choices are cached."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import portal.context_processors
from catalogue.tests.factories import ServiceFactory
from delegation.constants import SESSION_ACTING_FOR_KEY
from delegation.models import Delegation
from eaccount.tests.factories import BoardMembershipFactory, ParentChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    client.cookies["django_language"] = "en"


@pytest.fixture
def parent(client):
    user = UserFactory(person__first_name="Anna", person__last_name="Bērziņa")
    child = ParentChildFactory(parent=user.person).child
    company = BoardMembershipFactory(person=user.person).organisation
    grantor = UserFactory(person__first_name="Ilmārs", person__last_name="Kociņš").person
    delegation = Delegation.objects.create(
        principal_person=grantor,
        agent=user.person,
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
    )
    delegation.services.set([ServiceFactory(code="1011"), ServiceFactory(code="1030")])
    _login(client, user)
    return user, child, company, grantor


def _switch(content: str) -> str:
    start = content.index('<details class="act-for">')
    return content[start : content.index("</details>", start)]


def test_the_header_offers_each_principal_with_its_basis_in_a_form_back_to_the_page(client, parent):
    user, child, company, grantor = parent

    content = client.get("/cases/?status=registered").content.decode()

    switch = _switch(content)
    assert 'data-testid="acting-for">yourself<' in switch
    # oneself is the current choice; each other principal is a button of its own form
    assert re.search(r'aria-current="true"><span class="act-for-name">Anna Bērziņa</span>', switch)
    assert switch.count('<form method="post" action="/delegation/act-for/">') == 3
    assert switch.count('<input type="hidden" name="next" value="/cases/?status=registered">') == 3
    for principal, key in [(child, "person"), (company, "organisation"), (grantor, "person")]:
        assert f'name="principal" value="{key}:{principal.pk}"' in switch
    assert switch.count("Legal representation") == 2
    assert "Delegation: services 1011, 1030" in switch


def test_a_header_form_switches_and_comes_back_to_the_page(client, parent):
    _user, child, _company, _grantor = parent

    response = client.post(
        reverse("delegation:act-for"),
        {"principal": f"person:{child.pk}", "next": "/cases/?status=registered"},
    )

    assert response.status_code == 302 and response["Location"] == "/cases/?status=registered"
    assert client.session[SESSION_ACTING_FOR_KEY] == f"person:{child.pk}"
    switch = _switch(client.get("/cases/").content.decode())
    assert f'data-testid="acting-for">{child.full_name}<' in switch
    assert re.search(rf'aria-current="true"><span class="act-for-name">{child.full_name}</span>', switch)


def test_a_user_with_nobody_else_sees_only_whom_they_act_for(client):
    _login(client, UserFactory())

    content = client.get("/").content.decode()

    assert 'data-testid="acting-for">yourself<' in content and 'class="act-for"' not in content


@pytest.mark.parametrize("acting_for_the_child", [False, True], ids=["self", "child"])
@pytest.mark.parametrize("url", ["/", "/cases/", "/account/profile/"])
def test_the_switch_adds_no_query_to_a_page_once_warm(
    client, parent, monkeypatch, django_assert_num_queries, url, acting_for_the_child
):
    _user, child, _company, _grantor = parent
    if acting_for_the_child:
        client.post(reverse("delegation:act-for"), {"principal": f"person:{child.pk}"})
    client.get(url)  # the first request warms the cache

    # the same page without the switch
    monkeypatch.setattr(portal.context_processors, "act_for_choices", lambda request: [])
    with CaptureQueriesContext(connection) as without:
        assert 'class="act-for"' not in client.get(url).content.decode()
    monkeypatch.undo()

    with django_assert_num_queries(len(without.captured_queries)):
        assert 'class="act-for"' in client.get(url).content.decode()
