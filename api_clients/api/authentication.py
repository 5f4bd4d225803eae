"""`Authorization: Bearer <key>` for the back-office systems of agencies (ApiClient)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .. import services_api


class ApiClientAuthentication(authentication.BaseAuthentication):
    """Sets `request.auth` to the ApiClient; `request.user` stays anonymous (no person acts)."""

    keyword = b"bearer"
    www_authenticate_realm = "pspp-api"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from None
        client = services_api.api_client_for_key(key=key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or inactive API key."))
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return f'Bearer realm="{self.www_authenticate_realm}"'
