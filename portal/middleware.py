from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
