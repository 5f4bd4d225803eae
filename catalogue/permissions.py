"""Who may edit which catalogue entry: one check, used by pages and the API alike.

Catalogue is below eaccount (see DESIGN.md), so it does not import it: it reads the user's staff
roles through the `staff_roles` related manager that the user model carries (active() is the
role queryset's own method), and object permissions through django-guardian.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.permissions import BasePermission

from .models import Agency, Service

AGENCY_ADMIN = "agency_admin"
PLATFORM_ADMIN = "platform_admin"
EDIT_SERVICE_PERMISSION = "catalogue.edit_service"


def _active_roles(user):
    roles = getattr(user, "staff_roles", None)
    if roles is None:
        return None
    return roles.active()


def user_is_catalogue_admin(user) -> bool:
    """A platform admin (or a superuser): edits the whole catalogue."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    roles = _active_roles(user)
    return roles is not None and roles.filter(kind=PLATFORM_ADMIN).exists()


def agencies_editable(user) -> QuerySet[Agency]:
    """Agencies whose services this user may create and edit: all for a platform admin, else their own."""
    if user_is_catalogue_admin(user):
        return Agency.objects.all()
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Agency.objects.none()
    roles = _active_roles(user)
    if roles is None:
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=roles.filter(kind=AGENCY_ADMIN).values("agency_id"))


def user_may_manage_catalogue(user) -> bool:
    """Whether the user may open the editing pages at all (admin of some agency, or platform admin).

    One query at most (it runs in the main navigation of every page).
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    roles = _active_roles(user)
    return roles is not None and roles.filter(kind__in=(AGENCY_ADMIN, PLATFORM_ADMIN)).exists()


def service_may_edit(user, service: Service) -> bool:
    """May this user create/edit/publish/withdraw this service?

    Yes for a platform admin (any service); for an active agency admin of the service's holder
    agency; and for a user given the object permission `catalogue.edit_service` on this very
    service with django-guardian. No for everyone else, including anonymous users.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user_is_catalogue_admin(user):
        return True
    roles = _active_roles(user)
    if roles is not None and roles.filter(kind=AGENCY_ADMIN, agency_id=service.agency_id).exists():
        return True
    if service.pk is None:
        return False
    return user.has_perm(EDIT_SERVICE_PERMISSION, service)


class MayEditService(BasePermission):
    """DRF: the object check is service_may_edit; anonymous callers are refused."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        return service_may_edit(request.user, obj)
