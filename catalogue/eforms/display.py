"""Showing an e-form: labels, help and choices in the active language, and a filed form's values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext

from .vocabulary import CHECKBOX, CHOICE


def _pick(obj: Mapping[str, Any], key: str) -> str:
    lv = obj.get(f"{key}_lv") or ""
    en = obj.get(f"{key}_en") or ""
    return en if (get_language() or "").startswith("en") and en else lv


def eform_field_label(field: Mapping[str, Any]) -> str:
    """The field's label in the active language (Latvian when there is no English)."""
    return _pick(field, "label") or str(field.get("name", ""))


def eform_help(field: Mapping[str, Any]) -> str:
    """The field's help text in the active language (may be empty)."""
    return _pick(field, "help")


def eform_choice_label(field: Mapping[str, Any], value: Any) -> str:
    for choice in field.get("choices") or []:
        if str(choice.get("value")) == str(value):
            return _pick(choice, "label") or str(value)
    return str(value)


def eform_display(*, definition: list[dict], cleaned: Mapping[str, Any]) -> list[dict]:
    """Label/value pairs of stored form data, in the definition's order, for showing a filed form."""
    rows = []
    for f in definition:
        name = f.get("name")
        if name not in cleaned:
            continue
        value = cleaned[name]
        if f.get("type") == CHOICE:
            shown = eform_choice_label(f, value)
        elif f.get("type") == CHECKBOX:
            shown = gettext("Yes") if value else gettext("No")
        else:
            shown = "" if value is None else str(value)
        rows.append({"name": name, "type": f.get("type"), "label": eform_field_label(f), "value": shown})
    return rows
