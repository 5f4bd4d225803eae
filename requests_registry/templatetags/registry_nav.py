from django import template

from eaccount.selectors import agency_ids_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def is_agency_staff(context) -> bool:
    """Whether to show "Agency cases" in the navigation (one query per page, for logged-in users)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(request, "_registry_is_agency_staff"):
        request._registry_is_agency_staff = bool(agency_ids_for_user(user=user))
    return request._registry_is_agency_staff
