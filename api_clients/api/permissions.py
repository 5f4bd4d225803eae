"""Who may call an API: an agency's API client for everything, a logged-in person to read."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..models import ApiClient


def api_client_of(request) -> ApiClient | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiClient) else None


class ApiClientOrSessionReadOnly(BasePermission):
    message = "A logged-in person may only read their cases; writes need an API client key."

    def has_permission(self, request, view) -> bool:
        if api_client_of(request) is not None:
            return True
        return bool(request.user and request.user.is_authenticated and request.method in SAFE_METHODS)


class ApiClientOnly(BasePermission):
    message = "This needs an API client key."

    def has_permission(self, request, view) -> bool:
        return api_client_of(request) is not None
