"""The navigation's question about the workplace: is the user a supervisor (a centre's or an agency's
admin), who sees the escalations? The roles are read once per request (eaccount caches them)."""

from django import template

from ..selectors import user_is_supervisor

register = template.Library()


@register.simple_tag(takes_context=True)
def is_supervisor(context) -> bool:
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and user_is_supervisor(user=user))
