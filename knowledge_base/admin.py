"""The Django admin: topics are kept here (audited); articles, versions and scripts are read only —
they are written through the knowledge base's pages and services (versions, rules, notices)."""

from django.contrib import admin

from audit.admin_mixins import AuditedAdminMixin

from .models import Article, Script, Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action = "kb.topic"
    list_display = ("slug", "name_lv", "name_en")
    search_fields = ("slug", "name_lv", "name_en")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title_lv", "owner_agency", "kind", "audience", "version", "review_on", "publish_from")
    list_filter = ("kind", "audience", "owner_agency")
    search_fields = ("title_lv", "title_en")
    list_select_related = ("owner_agency",)
    exclude = ("search_vector",)


@admin.register(Script)
class ScriptAdmin(ReadOnlyAdmin):
    list_display = ("title_lv", "owner_agency", "state", "version")
    list_select_related = ("owner_agency",)
