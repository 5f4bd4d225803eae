from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import BoardMembership, Organisation, ParentChild, Person, StaffRole, User


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["personal_code", "first_name", "last_name", "municipality", "has_eid"]
    search_fields = ["personal_code", "first_name", "last_name"]
    list_select_related = ["municipality"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["registration_number", "name"]
    search_fields = ["registration_number", "name"]


@admin.register(ParentChild)
class ParentChildAdmin(admin.ModelAdmin):
    list_display = ["parent", "child"]
    raw_id_fields = ["parent", "child"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "position", "valid_from", "valid_until"]
    raw_id_fields = ["person", "organisation"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "person", "is_active", "is_staff"]
    raw_id_fields = ["person"]
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["person"]})]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Roles are granted and revoked through the services, so every change is in the audit trail."""

    list_display = ["user", "kind", "agency", "centre", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["kind", "agency"]
    list_select_related = ["user__person", "agency", "centre"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        role = services.staff_role_grant(
            granted_by=request.user,
            user=obj.user,
            kind=obj.kind,
            agency=obj.agency,
            centre=obj.centre,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
            request=request,
        )
        obj.pk = role.pk

    @admin.action(description=_("Revoke the selected roles"))
    def revoke(self, request, queryset):
        for role in queryset:
            services.staff_role_revoke(revoked_by=request.user, role=role, request=request)
