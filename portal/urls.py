from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
from .views_dashboard import dashboard_view
from .views_documents import documents_view

urlpatterns = [
    path("", views.home, name="home"),
    path("account/dashboard/", dashboard_view, name="dashboard"),
    path("account/documents/", documents_view, name="documents"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/history/", include("portal.views_history")),
    path("account/", include("eaccount.urls")),
    path("services/", include("catalogue.urls")),
    path("cases/", include("requests_registry.urls")),
    path("delegation/", include("delegation.urls")),
    path("notifications/", include("notifications.urls")),
    path("payments/", include("payments.urls")),
    path("knowledge/", include("knowledge_base.urls")),
    path("workplace/", include("workplace.urls")),
    path("rights/", include("access_rights.urls")),
    path("api/v1/", include("catalogue.api.urls")),
    path("api/v1/", include("requests_registry.api.urls")),
    path("api/v1/", include("payments.api.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        csp_override(settings.SECURE_CSP_API_DOCS)(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
