"""The portal's URLs with the OIDC routes, as portal.urls has them when OIDC_RP_CLIENT_ID is set."""

from django.urls import include, path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the same error pages
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("oidc/", include("mozilla_django_oidc.urls"))]
