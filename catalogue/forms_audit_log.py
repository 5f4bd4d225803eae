"""The filter of the agency's audit log: agency (when there is a choice), period, actor, action,
object; and the keyset cursor of the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import action_choices
from kernel.forms import PeriodFormMixin, optional_date_field, page_cursor_clean
from kernel.widgets import PlainSelect

from .selectors.audit_log import AuditLogCursor, AuditLogFilters


class AuditLogFilterForm(PeriodFormMixin, forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False, widget=PlainSelect)
    date_from = optional_date_field(gettext_lazy("From date"))
    date_to = optional_date_field(gettext_lazy("To date"))
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
        return page_cursor_clean(self.cleaned_data["after"], AuditLogCursor)

    def filters(self) -> AuditLogFilters:
        data = self.cleaned_data
        return AuditLogFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            about=data.get("object") or "",
        )
