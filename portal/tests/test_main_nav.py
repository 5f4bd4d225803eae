"""The header's navigation (portal_nav): each role sees its links and nobody sees another's."""

import re

import pytest
from django.urls import resolve

from eaccount.tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["home", "catalogue:index", "knowledge_base:index"]
AGENCY_CASES, FINANCE, RIGHTS = (
    "requests_registry:agency-case-list",
    "payments:finance-statements",
    "access_rights:home",
)
LOGGED_IN = [
    "dashboard",
    "eaccount:inbox",
    "documents",
    "payments:invoice-list",
    "requests_registry:my-cases",
]


def nav_links(client, user=None) -> list[str]:
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    nav = re.search(r'<ul class="nav-list">(.*?)</ul>', html, re.S).group(1)
    return [resolve(url).view_name for url in re.findall(r'<li><a href="([^"]+)"', nav)]


def test_a_visitor_and_a_citizen(client):
    assert nav_links(client) == EVERYONE
    assert nav_links(client, UserFactory()) == EVERYONE + LOGGED_IN


@pytest.mark.parametrize(
    "kind, extra",
    [
        ("agency_staff", ["workplace:start", AGENCY_CASES, FINANCE, RIGHTS]),
        ("centre_specialist", ["workplace:start", "requests_registry:consultation-new", RIGHTS]),
        ("centre_admin", ["workplace:escalations", RIGHTS]),
        (
            "agency_admin",
            [
                "workplace:start",
                AGENCY_CASES,
                FINANCE,
                "workplace:escalations",
                RIGHTS,
                "requests_registry:thresholds",
                "notifications:proactive-rules",
                "notifications:agency-stats",
            ],
        ),
    ],
)
def test_each_role_sees_its_links(client, kind, extra):
    links = nav_links(client, StaffRoleFactory(kind=kind).user)
    manage = ["catalogue:manage-list"] if kind == "agency_admin" else []
    assert links == EVERYONE + manage + LOGGED_IN + extra
