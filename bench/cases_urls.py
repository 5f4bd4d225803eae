"""The product's URLs plus, for the benchmark only, a minimal view returning one case row as JSON."""

from django.http import JsonResponse
from django.urls import path

from portal.urls import urlpatterns as product_urlpatterns
from requests_registry.models import Case

FIELDS = (
    "number",
    "service__code",
    "status",
    "channel",
    "basis",
    "client_person__personal_code",
    "client_person__first_name",
    "client_person__last_name",
    "external_reference",
    "planned_completion",
    "created_at",
    "updated_at",
    "completed_at",
)


def case_row(request, number: str):
    """The baseline: one query, the same case row, straight to JSON (no auth, no DRF)."""
    row = Case.objects.filter(number=number).values(*FIELDS).first()
    if row is None:
        return JsonResponse({"detail": "not found"}, status=404)
    return JsonResponse(row)


urlpatterns = [path("bench/cases/<str:number>/", case_row), *product_urlpatterns]
