import logging
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from kernel.errors import DomainError

from .api import PROBLEM_CONTENT_TYPE
from .health import health_report


def home(request):
    return render(request, "portal/home.html")


@never_cache
def healthz(request):
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


# --- error pages ----------------------------------------------------------------------------------
# handler400/403/404/500 in portal.urls, and DomainErrorMiddleware for a DomainError that escaped a
# page view. Pages render in the base layout in the language of the switch (the cookie); under /api/
# the answer is problem+json, as DRF's exception handler gives for the API's own views.

logger = logging.getLogger(__name__)

# The last resort when even the safe 500 page cannot be rendered (templates, static files or the URL
# configuration broken): plain HTML that needs nothing, in both languages.
SERVER_ERROR_FALLBACK_HTML = """<!DOCTYPE html>
<html lang="lv">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Radās kļūda — Something went wrong</title>
</head>
<body>
  <main id="main">
    <h1>Radās kļūda</h1>
    <p>Kļūda ir mūsu pusē, nevis Jūsu. Lūdzu, mēģiniet vēlreiz pēc dažām minūtēm.</p>
    <p><a href="/">Uz sākumlapu</a></p>
    <h2 lang="en">Something went wrong</h2>
    <p lang="en">The fault is on our side, not yours. Please try again in a few minutes.</p>
    <p lang="en"><a href="/">Go to the home page</a></p>
  </main>
</body>
</html>
"""


def is_api_path(request) -> bool:
    return request.path_info.startswith("/api/")


def _page_language(request) -> str:
    """The page language as LatvianFirstLocaleMiddleware picks it: the switch's cookie, else Latvian.
    Chosen again here because an error may have stopped the request before that middleware ran."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _back_url(request) -> str | None:
    """The page the visitor came from, when it is on this site (for a "go back" link)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return None
    came_from = urlsplit(referer)
    if came_from.path == request.path and came_from.query == request.META.get("QUERY_STRING", ""):
        return None  # the same page again (reloaded): no way back from here
    return referer


def problem_json(status: int, detail: str) -> JsonResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _specific_message(error: BaseException | None) -> str | None:
    """What the service said, when it said more than its error's generic default; else None."""
    if isinstance(error, DomainError):
        if error.message and error.message != str(type(error).default_message):
            return error.message
        return None
    if error is not None and error.args:
        return str(error) or None
    return None


def error_page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    context = {"back_url": _back_url(request), **(context or {})}
    with translation.override(_page_language(request)):
        return render(request, template, context, status=status)


@requires_csrf_token
def bad_request(request, exception):
    # the exception's text is not shown: it may describe the request's internals
    if is_api_path(request):
        return problem_json(400, _("The request is not valid."))
    return error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception):
    """403 with the reason the service gave (`PermissionDenied("…")`), else a generic explanation."""
    reason = _specific_message(exception)
    if is_api_path(request):
        return problem_json(403, reason or _("You may not do this."))
    return error_page(request, "403.html", 403, {"reason": reason})


@requires_csrf_token
def page_not_found(request, exception):
    # one answer for missing and forbidden (CONVENTIONS, "Access goes through selectors"): no detail
    if is_api_path(request):
        return problem_json(404, _("Not found."))
    return error_page(request, "404.html", 404)


def domain_error_page(request, error: DomainError) -> HttpResponse | None:
    """The error page for a DomainError a page view let through, with the error's status; None for
    a 5xx status (the server error handler answers that)."""
    status = error.status
    if status == 403:
        return error_page(request, "403.html", 403, {"reason": _specific_message(error)})
    if status == 404:
        return error_page(request, "404.html", 404)
    if status == 409:
        return error_page(request, "409.html", 409, {"message": _specific_message(error)})
    if 400 <= status < 500:
        field_messages = [message for messages in error.field_errors.values() for message in messages]
        context = {"message": _specific_message(error), "field_messages": field_messages}
        return error_page(request, "400.html", status, context)
    return None


def _safe_context(request) -> dict:
    """What base.html needs, taken from nothing that can fail: no context processors (they read the
    session, the user and the database), no user (the header leaves out the account block)."""
    try:
        csrf_token = get_token(request)  # the language switch posts a form
    except Exception:  # the 500 page goes on; only the language switch will not work
        csrf_token = ""
    return {
        "request": request,
        "csrf_token": csrf_token,
        "DEMO_LOGIN_ENABLED": settings.DEMO_LOGIN_ENABLED,
        "back_url": _back_url(request),
    }


def server_error(request):
    """The 500 page in the base layout, rendered without request context processors so that it works
    while the database or a context processor is broken; plain HTML if even that fails."""
    try:
        if is_api_path(request):
            return problem_json(500, _("Something went wrong on our side. Please try again later."))
        with translation.override(_page_language(request)):
            body = loader.get_template("500.html").render(_safe_context(request))
        return HttpResponseServerError(body)
    except Exception:
        logger.exception("The server error page failed; answering the plain fallback page")
        return HttpResponseServerError(SERVER_ERROR_FALLBACK_HTML)
