from django import template

from eaccount.constants import ADMIN_ROLES, StaffRoleKind
from eaccount.selectors import staff_role_facts

register = template.Library()


@register.simple_tag(takes_context=True)
def rights_facts(context) -> dict:
    """What the access-rights navigation offers this user: from the role facts the page has already."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"official": False, "admin": False, "platform_admin": False}
    kinds = {kind for kind, _a, _c in staff_role_facts(user=user)}
    platform_admin = user.is_superuser or StaffRoleKind.PLATFORM_ADMIN in kinds
    return {
        "official": bool(kinds) or user.is_superuser,
        "admin": platform_admin or bool(kinds & ADMIN_ROLES),
        "platform_admin": platform_admin,
    }
