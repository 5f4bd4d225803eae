"""The portal's URLs plus one page that needs a high level of assurance (for the step-up browser test)."""

from django.http import HttpResponse
from django.urls import path

from eaccount.assurance import assurance_required
from portal.urls import urlpatterns as portal_urlpatterns


@assurance_required("high")
def high_only(request):
    return HttpResponse(
        '<!DOCTYPE html><html lang="en"><head><title>High</title></head>'
        "<body><main><h1>High assurance page</h1></main></body></html>"
    )


urlpatterns = [*portal_urlpatterns, path("test/high-only/", high_only)]
