"""One guard for input no page or API of ours can take: a NUL byte anywhere in the address, the query
or a posted form, and digit strings too long to be any identifier of ours (a database integer stops
at 19 digits; our longest identifier, a phone number, has 15). They are answered before a view
runs, instead of each view meeting them in a database error: 404 for an address no page has (an
absurd number in the path), 400 for the rest."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from .views import bad_request, page_not_found

MAX_DIGITS = 18
_ABSURD_NUMBER = re.compile(rf"(?<![0-9A-Za-z])[0-9]{{{MAX_DIGITS + 1},}}(?![0-9A-Za-z])")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadInput(Exception):
    pass


class NoSuchAddress(BadInput):
    pass


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise BadInput("NUL byte")


def _check_value(value: str) -> None:
    _check_text(value)
    if value.isdigit() and len(value) > MAX_DIGITS:
        raise BadInput("absurd number")


def check_request(request: HttpRequest) -> None:
    """Raise BadInput for a NUL byte or an absurd number in the path, the query or a posted form."""
    path = unquote(request.path_info)
    if "\x00" in path or _ABSURD_NUMBER.search(path):
        raise NoSuchAddress("no page has such an address")
    # the API checks its query parameters against its schema (a long digit string may be a valid cursor)
    check_value = _check_text if request.path_info.startswith("/api/") else _check_value
    for _key, values in request.GET.lists():
        for value in values:
            check_value(value)
    for key in request.GET:
        _check_text(key)
    content_type = request.META.get("CONTENT_TYPE", "")
    # the API takes JSON only (portal.parsers.JsonOnlyParser refuses NUL there); reading a form body here
    # would hand it to DRF as already parsed
    if (
        request.method == "POST"
        and content_type.startswith(_FORM_TYPES)
        and not request.path_info.startswith("/api/")
    ):
        for key, values in request.POST.lists():
            _check_text(key)
            for value in values:
                _check_text(value)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except NoSuchAddress:
            return page_not_found(request, None)
        except (BadInput, MultiPartParserError):
            return bad_request(request, None)
        return self.get_response(request)
