from django.contrib import admin

from .models import Delegation


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Read only. A delegation is the principal's act (or their legal representative's): it is granted
    and revoked through delegation.services, which check who may and write the audit trail; the admin
    offers no door around them (no add, change or delete, hence no "delete selected" either)."""

    list_display = ["__str__", "valid_from", "valid_until", "revoked_at", "granted_by", "created_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["principal_person", "principal_organisation", "agent", "granted_by"]
    search_fields = [
        "agent__personal_code",
        "principal_person__personal_code",
        "principal_organisation__registration_number",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
