from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from catalogue import selectors as catalogue_selectors
from kernel.actors import Actor
from kernel.constants import Channel
from kernel.http import client_ip
from kernel.identifiers import normalise_personal_code

from . import rules, selectors, services
from .assurance import session_assurance
from .exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from .forms import PersonForm, StaffRoleGrantForm
from .models import BoardMembership, Organisation, ParentChild, Person, StaffRole, User

# Register data, logins and roles are in the audit trail whichever door changes them: here each add,
# change and delete (the "delete selected" action too) records an event naming the admin user.


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Both codes are normalised by the form and never shared with another person (the model)."""

    audit_action = "register.person"
    form = PersonForm
    fields = [
        "personal_code",
        "previous_personal_code",
        "first_name",
        "last_name",
        "birth_date",
        "municipality",
        "email",
        "phone",
        "address",
        "has_eid",
    ]
    list_display = [
        "personal_code",
        "previous_personal_code",
        "first_name",
        "last_name",
        "municipality",
        "has_eid",
    ]
    search_fields = ["personal_code", "previous_personal_code", "first_name", "last_name"]
    list_select_related = ["municipality"]

    def get_search_results(self, request, queryset, search_term):
        """A personal code in any spelling (without the hyphen, with spaces) finds its person by the
        current or the previous code."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            code = normalise_personal_code(search_term)
        except ValidationError:
            return found, may_have_duplicates
        by_code = queryset.filter(pk__in=selectors.persons_by_personal_code(personal_code=code).values("pk"))
        return found | by_code, may_have_duplicates


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action = "register.organisation"
    list_display = ["registration_number", "name"]
    search_fields = ["registration_number", "name"]


@admin.register(ParentChild)
class ParentChildAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action = "register.parent_child"
    list_display = ["parent", "child"]
    raw_id_fields = ["parent", "child"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action = "register.board_membership"
    list_display = ["person", "organisation", "position", "valid_from", "valid_until"]
    raw_id_fields = ["person", "organisation"]


@admin.register(User)
class PortalUserAdmin(AuditedAdminMixin, UserAdmin):
    """Staff status, superuser status, groups and permissions are roles too: audited like the register."""

    audit_action = "account.user"
    list_display = ["username", "person", "is_active", "is_staff"]
    raw_id_fields = ["person"]
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["person"]})]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Roles are granted and revoked through the services, so every change is checked by
    rules.staff_role_grant_allowed and is in the audit trail. Who may open this page, what it lists
    and what its form offers follow the same rule: a platform admin (or a superuser) everything, an
    agency or centre admin the roles of their own agencies and centres, nobody else anything."""

    form = StaffRoleGrantForm
    fields = [
        "user",
        "kind",
        "agency",
        "centre",
        "valid_from",
        "valid_until",
        "permanent",
        "granted_by",
        "revoked_at",
    ]
    list_display = [
        "user",
        "kind",
        "agency",
        "centre",
        "valid_from",
        "valid_until",
        "permanent",
        "revoked_at",
    ]
    list_filter = ["kind", "permanent", "agency"]
    list_select_related = ["user__person", "agency", "centre"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "revoked_at"]
    actions = ["revoke"]

    @staticmethod
    def _actor(request) -> Actor:
        return Actor(
            user=request.user,
            channel=Channel.AGENCY,
            assurance=session_assurance(request),
            ip=client_ip(request),
        )

    @staticmethod
    def _scope(request) -> rules.StaffRoleGrantScope:
        """The user's grant scope, asked once per request (every has_*_permission needs it)."""
        scope = getattr(request, "_eaccount_staff_role_scope", None)
        if scope is None:
            scope = rules.staff_role_grant_scope(user=request.user)
            request._eaccount_staff_role_scope = scope
        return scope

    def _may_manage(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and self._scope(request).grants_anything

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        if not self._may_manage(request):
            return False
        return obj is None or rules.staff_role_revoke_allowed(
            revoker=request.user, role=obj, scope=self._scope(request)
        )

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and self._may_manage(request)  # the list and its revoke action only

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        manageable = selectors.staff_roles_manageable(user=request.user)
        return super().get_queryset(request).filter(pk__in=manageable.values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"granter": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = self._scope(request)
        if db_field.name == "agency" and not scope.any_role:
            kwargs["queryset"] = catalogue_selectors.agencies(ids=scope.agency_ids)
        if db_field.name == "centre" and not scope.any_role:
            kwargs["queryset"] = catalogue_selectors.centres(ids=scope.centre_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kinds = self._scope(request).kinds
            kwargs["choices"] = [
                (value, label) for value, label in db_field.get_choices() if not value or value in kinds
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            role = services.staff_role_grant(
                actor=self._actor(request),
                user=obj.user,
                kind=obj.kind,
                agency=obj.agency,
                centre=obj.centre,
                valid_from=obj.valid_from,
                valid_until=obj.valid_until,
                permanent=obj.permanent,
            )
        except StaffRoleGrantNotAllowed as error:
            raise DjangoPermissionDenied(error.message) from error
        obj.pk = role.pk

    @admin.action(description=_("Revoke the selected roles"))
    def revoke(self, request, queryset):
        actor = self._actor(request)
        for role in queryset:
            try:
                services.staff_role_revoke(actor=actor, role=role)
            except StaffRoleRevokeNotAllowed as error:
                self.message_user(request, f"{role}: {error.message}", level=messages.ERROR)
