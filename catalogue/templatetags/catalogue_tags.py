from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.eforms import (
    DATE,
    FIELD_TYPE_LABELS,
    MAX_MONTHS_AGO,
    MAX_MONTHS_AHEAD,
    NOT_IN_FUTURE,
    NOT_IN_PAST,
    date_shown,
    eform_choice_label,
    eform_field_label,
    eform_help,
)
from catalogue.eforms.dates import iso_date

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


def _bound(field, key: str) -> str:
    if field.get("type") == DATE and iso_date(field[key]):
        return date_shown(iso_date(field[key]))
    return str(field[key])


def _relative_date_limits(field) -> list[str]:
    parts = []
    if field.get(NOT_IN_FUTURE):
        parts.append(_("not in the future"))
    if field.get(NOT_IN_PAST):
        parts.append(_("not in the past"))
    if field.get(MAX_MONTHS_AGO):
        months = field[MAX_MONTHS_AGO]
        parts.append(ngettext("at most %(n)s month ago", "at most %(n)s months ago", months) % {"n": months})
    if field.get(MAX_MONTHS_AHEAD):
        months = field[MAX_MONTHS_AHEAD]
        parts.append(
            ngettext("at most %(n)s month ahead", "at most %(n)s months ahead", months) % {"n": months}
        )
    return parts


@register.simple_tag
def eform_limits(field) -> str:
    parts = []
    if field.get("max_length"):
        parts.append(_("at most %(n)s characters") % {"n": field["max_length"]})
    if field.get("min") is not None:
        parts.append(_("from %(v)s") % {"v": _bound(field, "min")})
    if field.get("max") is not None:
        parts.append(_("to %(v)s") % {"v": _bound(field, "max")})
    parts += _relative_date_limits(field)
    if field.get("subject"):
        parts.append(_("subject: %(subject)s") % {"subject": field["subject"]})
    if field.get("case_subject"):
        parts.append(_("the person the case is about"))
    if field.get("choices"):
        parts.append(", ".join(eform_choice_label(field, c["value"]) for c in field["choices"]))
    if field.get("allowed_extensions"):
        parts.append(", ".join(field["allowed_extensions"]))
    if field.get("max_size_kb"):
        parts.append(_("up to %(n)s kB") % {"n": field["max_size_kb"]})
    text = "; ".join(str(p) for p in parts)
    return f" ({text})" if text else ""
