"""The e-form as a Django form: built from its definition, for the citizen's application and the
one-stop centre specialist's entry alike. Validation is the catalogue's (`eform_validate`, through
the registry's `case_validate_form`); this form only renders the fields and carries their errors."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict

from .display import eform_choice_label as _choice_label
from .display import eform_field_label, eform_help


def _widget_for(f: dict) -> forms.Widget:
    kind = f["type"]
    if kind == "long_text":
        return forms.Textarea(attrs={"rows": 5, "maxlength": f.get("max_length", 4000)})
    if kind == "text":
        return forms.TextInput(attrs={"maxlength": f.get("max_length", 200)})
    if kind == "number":
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"})
    if kind == "email":
        return forms.EmailInput(attrs={"autocomplete": "email"})
    if kind == "phone":
        return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    if kind == "checkbox":
        return forms.CheckboxInput()
    if kind == "file":
        return forms.ClearableFileInput(attrs={"accept": ",".join(f.get("allowed_extensions") or [])})
    if kind == "choice":
        return forms.Select()
    return forms.TextInput(attrs={"spellcheck": "false"})  # personal code, IBAN


def _field_for(f: dict) -> forms.Field:
    common = {"label": eform_field_label(f), "help_text": eform_help(f), "required": bool(f.get("required"))}
    widget = _widget_for(f)
    if f["type"] == "file":
        return forms.FileField(widget=widget, **common)
    if f["type"] == "checkbox":
        return forms.BooleanField(widget=widget, **common)
    if f["type"] == "choice":
        choices = [("", "—")] + [(c["value"], _choice_label(f, c["value"])) for c in f.get("choices", [])]
        return forms.ChoiceField(choices=choices, widget=widget, **common)
    return forms.CharField(widget=widget, **common)


class EForm(forms.Form):
    """A form built from an e-form definition; validation is delegated to the catalogue's validator.

    `apply_result(result)` puts the validator's field errors on the form (for the error summary and
    each field's message); Django's own field validation is not used.
    """

    use_required_attribute = False  # the server's error summary, not the browser's bubbles

    def __init__(self, *args, definition: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        for f in definition:
            self.fields[f["name"]] = _field_for(f)

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        """Django then marks each field aria-invalid and describes it by its help and error texts."""
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)

    def has_file_fields(self) -> bool:
        return any(f["type"] == "file" for f in self.definition)
