import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from kernel.errors import DomainError

from .views import domain_error_page, error_page, is_api_path, problem_json

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    """Saves a session that did not change only when its idle timeout needs renewing: at most once
    a SESSION_RENEW_SECONDS per session, instead of a database write on every request. The idle
    timeout stays SESSION_COOKIE_AGE from the last renewal (at most a minute less than from the last
    request). A visitor without a session gets none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key:
            return response
        renewed_at = session.get(RENEWED_AT, 0)  # loads the session
        if not session.session_key:  # the cookie named a session that had ended: none is made
            return response
        now = int(time.time())
        if now - renewed_at >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_AT] = now  # SessionMiddleware saves it, with a new expiry
        return response


class LatvianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages open in Latvian, the state language, until the visitor picks English with the switch
    (the language cookie); the browser's Accept-Language does not decide. The API still negotiates
    by Accept-Language, as machine clients expect."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DomainErrorMiddleware:
    """A `kernel.errors.DomainError` that a page view let through becomes the matching error page with
    the error's status: 403 with its reason, 404, 409 with its message, 422 (and other 4xx) the 400
    page with its message. API paths (/api/) are left alone: DRF's exception handler answers there
    with problem+json, and what it lets through goes on to the server error handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path_info.startswith("/api/"):
            return None
        return domain_error_page(request, exception)


# --- request size -----------------------------------------------------------------------------------

_BODY_METHODS = {"POST", "PUT", "PATCH"}


def request_refused_page(request: HttpRequest, status: int) -> HttpResponse:
    """A request refused for its body before it was read (413 too large, 411 no length, 400 a bad
    length): problem+json under /api/, else our 400 page with that status."""
    detail = _("The request body is too large.") if status == 413 else _("The request is not valid.")
    if is_api_path(request):
        return problem_json(status, detail)
    return error_page(request, "400.html", status, {"message": detail if status == 413 else None})


def declared_body_length(request: HttpRequest) -> int | None:
    """The body's length as the Content-Length header declares it; None without the header.
    Raises ValueError for a value that is not a whole number of bytes."""
    raw = request.META.get("CONTENT_LENGTH")
    if raw is None or raw == "":
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(f"Content-Length {raw!r}")
    return int(raw)


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than `settings.MAX_UPLOAD_BYTES` with 413, judging by
    its Content-Length before anything reads the body: Django reads a WSGI body only up to that
    length, so the declared length bounds what any later code (the CSRF check, a form, a view) can
    read. A Content-Length that is not a number is refused with 400 (Django would read it as an empty
    body), and a multipart form posted without one with 411 (its files would silently be lost).

    It sits after the session, authentication and acting-for middleware (the refusal page's header
    shows who is logged in and for whom) and before everything that reads the body (the input guard,
    the CSRF check's request.POST in process_view, the views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = declared_body_length(request)
        except ValueError:
            return request_refused_page(request, 400)
        if length is None:
            multipart = request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
            if request.method in _BODY_METHODS and multipart:
                return request_refused_page(request, 411)
        elif length > settings.MAX_UPLOAD_BYTES:
            return request_refused_page(request, 413)
        return self.get_response(request)
