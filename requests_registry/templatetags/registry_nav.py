from django import template

from eaccount import selectors as eaccount_selectors
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


@register.simple_tag(takes_context=True)
def administers_agency(context) -> bool:
    """Whether to show the agency admin's pages (thresholds, reminder rules, notification counts)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(eaccount_selectors.agency_ids_administered(user=user))


@register.simple_tag(takes_context=True)
def is_centre_specialist(context) -> bool:
    """Whether to show "Record a consultation" for a one-stop centre's specialist (from the cached role
    facts: no query once warm)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(eaccount_selectors.centre_ids_for_user(user=user))
