"""Forms of the e-form builder: thin. They turn posted text into a field dict of the definition's
format (choices from rows "value | label lv | label en", extensions from ".pdf, .jpg"); the rules are
the builder service's (catalogue.services.eform_builder), whose refusals come back keyed by these
forms' field names."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .eforms import (
    CASE_SUBJECT,
    CHOICE,
    DATE,
    DEFAULT_MAX_LENGTH,
    FIELD_TYPE_LABELS,
    FIELD_TYPES,
    FILE,
    LONG_TEXT,
    MAX_MAX_LENGTH,
    MAX_MAX_SIZE_KB,
    MAX_MONTHS,
    MAX_MONTHS_AGO,
    MAX_MONTHS_AHEAD,
    NOT_IN_FUTURE,
    NOT_IN_PAST,
    NUMBER,
    PERSONAL_CODE,
    TEXT,
    eform_field_label,
)
from .services.eform_builder import (
    HELP_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    PAIR_WITH,
    PAIRED_TYPES,
    eform_field_partner,
)

TYPE_CHOICES = [(kind, FIELD_TYPE_LABELS[kind]) for kind in FIELD_TYPES]
COMMON_FIELDS = ("name", "type", "label_lv", "label_en", "help_lv", "help_en", "required")


def choices_text(choices: list[dict]) -> str:
    return "\n".join(
        f"{c.get('value', '')} | {c.get('label_lv', '')} | {c.get('label_en', '')}" for c in choices
    )


def choices_parse(text: str) -> list[dict]:
    """Rows "value | label in Latvian | label in English" (missing parts left empty for the service)."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3:
            raise forms.ValidationError(
                _("A row has three parts at most: value | label in Latvian | label in English.")
            )
        parts += [""] * (3 - len(parts))
        rows.append({"value": parts[0], "label_lv": parts[1], "label_en": parts[2]})
    return rows


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Name (for the data)"),
        max_length=50,
        error_messages={"required": _("Enter the field's name.")},
        help_text=_("Small Latin letters, digits and underscores, e.g. child_birth_date."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )


def _label_field(label, required_message) -> forms.CharField:
    """Required here: the builder asks for both languages (the stored format only for Latvian)."""
    return forms.CharField(
        label=label, max_length=LABEL_MAX_LENGTH, error_messages={"required": required_message}
    )


def _choices_field() -> forms.CharField:
    return forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("One choice a row: value | label in Latvian | label in English."),
    )


class ChoicesMixin:
    def clean_choices(self):
        return choices_parse(self.cleaned_data.get("choices", ""))


class FieldAddForm(ChoicesMixin, forms.Form):
    """The builder page's short form: type, name, labels, required (and the choices of a choice field)."""

    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES)
    name = _name_field()
    label_lv = _label_field(_("Label in Latvian"), _("Enter the label in Latvian."))
    label_en = _label_field(_("Label in English"), _("Enter the label in English."))
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = _choices_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["choices"].help_text = _(
            "For a choice field only. One choice a row: value | label in Latvian | label in English."
        )

    def to_field(self) -> dict[str, Any]:
        data = self.cleaned_data
        field = {k: data[k] for k in ("type", "name", "label_lv", "label_en", "required")}
        if data["type"] == CHOICE:
            field["choices"] = data.get("choices") or []
        return field


def _number_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class FieldEditForm(ChoicesMixin, forms.Form):
    """One field of the e-form: labels and help in both languages, required, the limits of its type.

    The type-specific fields follow the posted type (or the field's own): after a change of type the
    old type's limits are not read, and the page shows the new type's.
    """

    name = _name_field()
    type = forms.ChoiceField(
        label=_("Type"),
        choices=TYPE_CHOICES,
        help_text=_("After a change of type, save and then set the limits of the new type."),
    )
    label_lv = _label_field(_("Label in Latvian"), _("Enter the label in Latvian."))
    label_en = _label_field(_("Label in English"), _("Enter the label in English."))
    help_lv = forms.CharField(
        label=_("Help in Latvian"),
        required=False,
        max_length=HELP_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_en = forms.CharField(
        label=_("Help in English"),
        required=False,
        max_length=HELP_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, field: dict, eform: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.original = field
        posted = self.data.get("type") if self.is_bound else None
        self.kind = posted if posted in FIELD_TYPES else field["type"]
        self.type_changed = self.kind != field["type"]
        if self.is_bound and self.type_changed:  # the old type's limits do not carry over
            data = self.data.copy()
            for key in list(data):
                if key not in COMMON_FIELDS and key != "csrfmiddlewaretoken":
                    del data[key]
            self.data = data
        self._add_type_fields(eform)
        if not self.is_bound:
            self.initial = self.initial_for(field, eform)

    def _add_type_fields(self, eform: list[dict]) -> None:
        kind, add = self.kind, self.fields.__setitem__
        if kind in (TEXT, LONG_TEXT):
            add(
                "max_length",
                forms.IntegerField(
                    label=_("Maximum length (characters)"),
                    required=False,
                    min_value=1,
                    max_value=MAX_MAX_LENGTH,
                    help_text=_("Empty: %(text)s for a text, %(long)s for a long text.")
                    % {"text": DEFAULT_MAX_LENGTH[TEXT], "long": DEFAULT_MAX_LENGTH[LONG_TEXT]},
                ),
            )
        elif kind == NUMBER:
            add("min", _number_field(_("Smallest number")))
            add("max", _number_field(_("Largest number")))
        elif kind == DATE:
            date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            add("min", forms.DateField(label=_("Earliest date"), required=False, widget=date_widget))
            add("max", forms.DateField(label=_("Latest date"), required=False, widget=date_widget))
            add(
                NOT_IN_FUTURE,
                forms.BooleanField(label=_("Not in the future (today at the latest)"), required=False),
            )
            add(
                NOT_IN_PAST,
                forms.BooleanField(label=_("Not in the past (today at the earliest)"), required=False),
            )
            for key, label in (
                (MAX_MONTHS_AGO, _("At most so many months before the day of filing")),
                (MAX_MONTHS_AHEAD, _("At most so many months after the day of filing")),
            ):
                add(key, forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_MONTHS))
        elif kind == CHOICE:
            add("choices", _choices_field())
        elif kind == FILE:
            add(
                "allowed_extensions",
                forms.CharField(
                    label=_("Allowed file types"),
                    required=False,
                    max_length=200,
                    help_text=_("Extensions separated by commas, e.g. .pdf, .jpg, .png"),
                ),
            )
            add(
                "max_size_kb",
                forms.IntegerField(
                    label=_("Largest file (kB)"),
                    required=False,
                    min_value=1,
                    max_value=MAX_MAX_SIZE_KB,
                    help_text=_("At most %(limit)s kB.") % {"limit": MAX_MAX_SIZE_KB},
                ),
            )
        if kind == PERSONAL_CODE:
            add(
                CASE_SUBJECT,
                forms.BooleanField(
                    label=_("The person the case is about"),
                    required=False,
                    help_text=_("One required personal code of the e-form at most."),
                ),
            )
        if kind in PAIRED_TYPES:
            other = PAIRED_TYPES[kind]
            options = [
                (f["name"], f"{eform_field_label(f)} ({f['name']})")
                for f in eform
                if f.get("type") == other and f.get("name") != self.original.get("name")
            ]
            if kind == DATE:
                label = _("The date of birth of the person whose personal code is in")
                help_text = _("The date and the personal code must then agree.")
            else:
                label = _("The date of birth of this person is in")
                help_text = _("The personal code and the date must then agree.")
            add(
                PAIR_WITH,
                forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", _("— no field —")), *options],
                    help_text=help_text,
                ),
            )

    def type_fields(self) -> list:
        """The bound fields of the type's limits and checks (the page shows them in their own group)."""
        return [self[key] for key in self.fields if key not in COMMON_FIELDS]

    @staticmethod
    def initial_for(field: dict, eform: list[dict]) -> dict[str, Any]:
        initial = {k: v for k, v in field.items() if k not in ("choices", "allowed_extensions")}
        initial["choices"] = choices_text(field.get("choices") or [])
        initial["allowed_extensions"] = ", ".join(field.get("allowed_extensions") or [])
        initial[PAIR_WITH] = eform_field_partner(eform=eform, name=field["name"])
        return initial

    def clean_min(self):
        return self._limit("min")

    def clean_max(self):
        return self._limit("max")

    def _limit(self, key: str):
        value = self.cleaned_data.get(key)
        if value in (None, ""):
            return None
        if self.kind == DATE:
            return value.isoformat()
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
            if not number.is_finite() or abs(number.adjusted()) > 20:
                raise InvalidOperation
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number, e.g. 10 or 2.5.")) from None
        return int(number) if number == number.to_integral_value() else format(number.normalize(), "f")

    def clean_allowed_extensions(self):
        text = self.cleaned_data.get("allowed_extensions") or ""
        parts = [p for p in re.split(r"[\s,;]+", text.lower()) if p]
        return [p if p.startswith(".") else f".{p}" for p in parts]

    def to_field(self) -> dict[str, Any]:
        """The field dict for eform_field_update: the common keys and this type's limits."""
        data = self.cleaned_data
        field: dict[str, Any] = {k: data.get(k) for k in COMMON_FIELDS}
        for key in self.fields:
            if key not in COMMON_FIELDS:
                field[key] = data.get(key)
        return field
