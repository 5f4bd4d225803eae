"""`Authorization: Bearer <key>` for the back-office systems of agencies (ApiClient)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from kernel.actors import Actor
from kernel.constants import Channel
from kernel.http import client_ip

from .. import services as api_client_services


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
        client = api_client_services.api_client_for_key(key=key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or inactive API key."))
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return f'Bearer realm="{self.www_authenticate_realm}"'


def api_actor(request, *, channel: str = Channel.AGENCY) -> Actor:
    """The Actor of an API request: the API client (first-class: named in history and audit), its
    address; a person using the API with their session acts as themselves."""
    client = getattr(request, "auth", None)
    if client is not None and not isinstance(client, str):
        return Actor(
            api_client=client, channel=channel, system_label=client.system_label, ip=client_ip(request)
        )
    return Actor(user=request.user, channel=channel, ip=client_ip(request))
