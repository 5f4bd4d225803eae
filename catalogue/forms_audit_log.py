"""The filter of the agency's audit log: agency (when there is a choice), period, actor, action,
object; and the keyset cursor of the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import action_choices
from kernel.widgets import PlainSelect

from .selectors.audit_log import AuditLogCursor, AuditLogFilters

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y.", "%d.%m.%Y"]


class AuditLogFilterForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False, widget=PlainSelect)
    date_from = forms.DateField(
        label=gettext_lazy("From date"), required=False, widget=_DATE_WIDGET, input_formats=_DATE_FORMATS
    )
    date_to = forms.DateField(
        label=gettext_lazy("To date"), required=False, widget=_DATE_WIDGET, input_formats=_DATE_FORMATS
    )
    actor = forms.CharField(
        label=gettext_lazy("Who"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A part of the name of the person or system."),
    )
    action = forms.ChoiceField(label=gettext_lazy("What"), required=False, widget=PlainSelect)
    object = forms.CharField(
        label=gettext_lazy("On what"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("A case number (e.g. 1014-0000001) or a service code (e.g. 1014)."),
    )
    after = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, agencies=(), platform_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        first = _("Choose an agency") if platform_admin else _("All my agencies")
        self.fields["agency"].choices = [("", first)] + [
            (agency.code, f"{agency.code} — {agency.name}") for agency in agencies
        ]
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]

    def clean_actor(self) -> str:
        return self.cleaned_data["actor"].strip()

    def clean_object(self) -> str:
        return self.cleaned_data["object"].strip().upper()

    def clean_after(self) -> AuditLogCursor | None:
        value = self.cleaned_data["after"]
        if not value:
            return None
        cursor = AuditLogCursor.decode(value)
        if cursor is None:
            raise forms.ValidationError(_("This page link is not valid."), code="invalid")
        return cursor

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> AuditLogFilters:
        data = self.cleaned_data
        return AuditLogFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            about=data.get("object") or "",
        )
