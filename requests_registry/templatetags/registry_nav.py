from django import template

from requests_registry.selectors import staff_agency_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def is_agency_staff(context) -> bool:
    """Whether to show "Agency cases" in the navigation (one query per request, for logged-in users)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(staff_agency_ids(user=user))
