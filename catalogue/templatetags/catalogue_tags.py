from django import template
from django.utils.translation import gettext as _

from catalogue.eforms import FIELD_TYPE_LABELS, eform_choice_label, eform_field_label, eform_help

register = template.Library()


@register.simple_tag
def eform_label(field) -> str:
    return eform_field_label(field)


@register.simple_tag
def eform_help_text(field) -> str:
    return eform_help(field)


@register.simple_tag
def eform_type(field) -> str:
    return str(FIELD_TYPE_LABELS.get(field.get("type"), field.get("type")))


@register.simple_tag
def eform_limits(field) -> str:
    parts = []
    if field.get("max_length"):
        parts.append(_("at most %(n)s characters") % {"n": field["max_length"]})
    if field.get("min") is not None:
        parts.append(_("from %(v)s") % {"v": field["min"]})
    if field.get("max") is not None:
        parts.append(_("to %(v)s") % {"v": field["max"]})
    if field.get("choices"):
        parts.append(", ".join(eform_choice_label(field, c["value"]) for c in field["choices"]))
    if field.get("allowed_extensions"):
        parts.append(", ".join(field["allowed_extensions"]))
    if field.get("max_size_kb"):
        parts.append(_("up to %(n)s kB") % {"n": field["max_size_kb"]})
    text = "; ".join(str(p) for p in parts)
    return f" ({text})" if text else ""


@register.simple_tag(takes_context=True)
def may_manage_catalogue(context) -> bool:
    """For the main navigation: whether to show "Manage services" (agency and platform admins)."""
    from catalogue.permissions import user_may_manage_catalogue

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user_may_manage_catalogue(user))
