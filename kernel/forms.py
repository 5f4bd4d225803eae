"""The one helper that puts a DomainError on a Django form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from .errors import DomainError


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Field errors go to their fields (unknown fields and "__all__" to the form); the message,
    when there are no field errors, to the form."""
    if not error.field_errors:
        form.add_error(None, error.message)
        return
    for field, messages in error.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


# --- filter forms: a period and a keyset page ----------------------------------------------------

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y.", "%d.%m.%Y"]  # the browser's date input, and typed by hand


def optional_date_field(label) -> forms.DateField:
    """A date a filter may leave empty: the browser's date picker, or the date typed the Latvian way."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
    )


def page_cursor_clean(value: str, cursor_class):
    """A page link's `after` decoded by the list's cursor class (None for the first page)."""
    if not value:
        return None
    cursor = cursor_class.decode(value)
    if cursor is None:
        raise forms.ValidationError(_("This page link is not valid."), code="invalid")
    return cursor


class PeriodFormMixin:
    """A filter form with `date_from` and `date_to`: the end of the period may not come before its start."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned
