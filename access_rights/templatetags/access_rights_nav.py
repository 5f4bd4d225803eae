from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def rights_facts(context) -> dict:
    """What the access-rights navigation offers this user (`selectors.rights_facts`)."""
    return selectors.rights_facts(user=context.get("user"))
