"""The portal's URLs plus pages that answer each error page (for the reflow browser test): 400, 403,
409 and 500 are otherwise hard to reach from a browser."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from kernel.errors import ActionNotAllowed
from portal.urls import urlpatterns as portal_urlpatterns
from portal.views import server_error


def bad_request(request):
    raise SuspiciousOperation("test: a bad request")


def forbidden(request):
    raise PermissionDenied


def conflict(request):
    raise ActionNotAllowed("test: not now")


def broken(request):
    return server_error(request)


urlpatterns = [
    *portal_urlpatterns,
    path("test/bad-request/", bad_request),
    path("test/forbidden/", forbidden),
    path("test/conflict/", conflict),
    path("test/server-error/", broken),
]
