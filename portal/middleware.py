from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from kernel.errors import DomainError

from .views import domain_error_page


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
