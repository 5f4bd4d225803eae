"""`get_FOO_display()` without Django's per-call cost: Django makes every choice hashable on every
call, which hashes — and so translates — each lazy label (`make_hashable(field.flatchoices)`). On a
list of 20 cases with three choice fields that is some 600 translations for 60 labels. Here each
field's labels are put in a dict once; a label is still translated when shown, in the language of
the request."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mixed into a model before `models.Model`: the same labels as Django's `get_FOO_display()`,
    looked up in a dict kept per field (the fields' choices are fixed enumerations)."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
