"""The bad-input sweep: every URL pattern of the site (from the resolver), with NUL bytes, huge
integers, over-long strings and wrong types in the address, the query and a posted form, as an
anonymous visitor, a citizen and agency staff. No answer may be a server error."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from catalogue.demo import load_pilot_catalogue
from eaccount.demo import load_demo_people
from requests_registry.demo import load_demo_cases

BAD_VALUES = [
    "\x00",
    "1011\x00",
    "99999999999999999999",
    "-1",
    "0",
    "x" * 3000,
    "<script>alert(1)</script>",
    "1e308",
    "[]",
    "ā€\U0001f600",
]
QUERY_KEYS = [
    "page",
    "q",
    "agency",
    "channel",
    "audience",
    "life_event",
    "status",
    "service",
    "number",
    "mine",
    "updated_since",
    "page_size",
    "cursor",
    "next",
    "level",
    "page",
    "folder",
    "unread",
    "after",
    "kind",
    "lang",
]
FORM_KEYS = [
    *QUERY_KEYS,
    "action",
    "personal_code",
    "first_name",
    "last_name",
    "principal",
    "rating",
    "comment",
    "note",
    "answer",
    "question",
    "to",
    "topic",
    "duration_minutes",
    "outcome",
    "title",
    "valid_until",
    "services",
    "person",
    "means",
    "language",
    "child_personal_code",
    "child_birth_date",
    "iban",
]
# one query parameter at a time too (a bad value in one parameter must not hide another's)
PER_KEY_VALUES = ["1011\x00", "99999999999999999999", "x" * 3000]
SKIP = ("admin/", "static/", "media/", "oidc/", "account/logout")
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:(\w+):)?(\w+)>")


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route.replace("^", "").replace("\\Z", "")


def _fill(route: str, value_for) -> str:
    return GROUP.sub(lambda m: quote(value_for(m.group(1) or m.group(3)), safe=""), route)


@pytest.fixture
def demo(db):
    load_pilot_catalogue()
    people = load_demo_people()
    load_demo_cases(people)
    return people


def _valid(name: str) -> str:
    """A plausible value for a route's argument, so the view itself is reached."""
    from requests_registry.models import Case

    if name == "number":
        return Case.objects.order_by("pk").values_list("number", flat=True).first() or "1011-0000001"
    if name == "code":
        return "1011"
    if name == "slug":
        return "gimene"
    return "1"


def _client(who: str, people) -> Client:
    client = Client(raise_request_exception=False)
    user = {"citizen": "citizen_parent", "staff": "vsaa_staff"}.get(who)
    if user:
        client.force_login(people[user].user)
        session = client.session
        session["assurance_level"] = "high"
        session.save()
    return client


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_no_input_makes_a_server_error(demo, who):
    client = _client(who, demo)
    routes = sorted({r for r in _routes() if not r.lstrip("/").startswith(SKIP)})
    failures, sent = [], 0
    for route in routes:
        valid_url = _fill(route, _valid)
        for value in BAD_VALUES:
            bad_url = _fill(route, lambda _name, v=value: v)
            query = urlencode(dict.fromkeys(QUERY_KEYS, value))
            form = dict.fromkeys(FORM_KEYS, value)
            requests = [
                ("get", bad_url, None),
                ("get", f"{valid_url}?{query}", None),
                ("post", valid_url, form),
            ]
            if value in PER_KEY_VALUES:
                requests += [("get", f"{valid_url}?{urlencode({key: value})}", None) for key in QUERY_KEYS]
            for method, url, data in requests:
                response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
                sent += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{method.upper()} {url[:120]!r} ({value[:20]!r}): {response.status_code}"
                    )
    assert sent > 500
    assert not failures, f"{len(failures)} of {sent} requests answered 5xx:\n" + "\n".join(failures[:40])
