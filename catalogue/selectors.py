"""Reads of the catalogue, and who may see what."""

from __future__ import annotations

from .constants import ServiceState
from .models import Service, ServiceVersion


class ServiceNotFound(Service.DoesNotExist):
    """A service that does not exist or is not visible to the asker (the same answer for both)."""


def service_get_published(*, code: str) -> Service:
    """The published service with this code; ServiceNotFound for drafts, withdrawn and missing ones."""
    if not isinstance(code, str) or not code.isdigit() or len(code) > 6:
        raise ServiceNotFound(code)
    try:
        return Service.objects.select_related("agency", "category").get(
            code=code, state=ServiceState.PUBLISHED
        )
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


def service_version_current(*, service: Service) -> ServiceVersion:
    """The version a new case is filed under: the service's last published version.

    Raises ServiceVersion.DoesNotExist when the service was never published.
    """
    version = ServiceVersion.objects.filter(service=service).order_by("-number").first()
    if version is None:
        raise ServiceVersion.DoesNotExist(f"service {service.code} has no published version")
    return version
