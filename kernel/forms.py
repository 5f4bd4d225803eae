"""The one helper that puts a DomainError on a Django form."""

from __future__ import annotations

from django import forms

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
