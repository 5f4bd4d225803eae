"""Who may edit which catalogue entry: one check, used by pages and the API alike.

The facts about the user (platform admin, agencies administered) come from the provider eaccount
registers (catalogue.viewer); object permissions from django-guardian.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.permissions import BasePermission

from .models import Agency, Service
from .viewer import editor_facts

EDIT_SERVICE_PERMISSION = "catalogue.edit_service"


def user_is_catalogue_admin(user) -> bool:
    """A platform admin (or a superuser): edits the whole catalogue."""
    return editor_facts(user).platform_admin


def agencies_editable(user) -> QuerySet[Agency]:
    """Agencies whose services this user may create and edit: all for a platform admin, else their own."""
    facts = editor_facts(user)
    if facts.platform_admin:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=facts.agency_ids)


def user_may_manage_catalogue(user) -> bool:
    """Whether the user may open the editing pages at all (admin of some agency, or platform admin).

    One query at most (it runs in the main navigation of every page).
    """
    facts = editor_facts(user)
    return facts.platform_admin or bool(facts.agency_ids)


def agency_settings_may_change(user, agency: Agency) -> bool:
    """An agency's catalogue settings (four eyes on publishing): an administrator of this agency, or a
    platform admin (a superuser counts)."""
    facts = editor_facts(user)
    return facts.platform_admin or agency.pk in facts.agency_ids


def service_may_edit(user, service: Service) -> bool:
    """May this user create/edit/publish/withdraw this service?

    Yes for a platform admin (any service); for an active agency admin of the service's holder
    agency; and for a user given the object permission `catalogue.edit_service` on this very
    service with django-guardian. No for everyone else, including anonymous users.
    """
    facts = editor_facts(user)
    if facts.platform_admin or service.agency_id in facts.agency_ids:
        return True
    if service.pk is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm(EDIT_SERVICE_PERMISSION, service)


class MayEditService(BasePermission):
    """DRF: the object check is service_may_edit; anonymous callers are refused."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        return service_may_edit(request.user, obj)
