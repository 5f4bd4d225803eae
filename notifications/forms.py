"""Forms of the notifications' pages: thin; the rules' checks are in proactive.proactive_rule_save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eaccount import selectors as eaccount_selectors

from . import proactive
from .models import ProactiveLifeEvent, ProactiveRule, ProactiveRuleKind


class ProactiveRuleForm(forms.Form):
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind of rule"), choices=ProactiveRuleKind.choices, widget=forms.RadioSelect
    )
    document_kind = forms.ChoiceField(
        label=_("Kind of document"),
        required=False,
        help_text=_("For a reminder before a document expires."),
    )
    days_before = forms.CharField(
        label=_("Days before expiry"),
        required=False,
        max_length=100,
        help_text=_("One reminder at each, e.g. 90, 30, 7."),
    )
    life_event = forms.ChoiceField(
        label=_("Life event"),
        required=False,
        choices=[("", "—"), *ProactiveLifeEvent.choices],
        help_text=_("For an offer after a life event."),
    )
    within_days = forms.IntegerField(
        label=_("Offer within days after the event"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("Only events this recent are offered the service."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "—")] + [
            (service.pk, f"{service.code} {service.title_lv}") for service in services
        ]
        self.fields["document_kind"].choices = [("", "—"), *eaccount_selectors.register_document_kinds()]

    @classmethod
    def initial_of(cls, rule: ProactiveRule) -> dict:
        return {
            "service": rule.service_id,
            "kind": rule.kind,
            "document_kind": rule.document_kind,
            "days_before": ", ".join(str(d) for d in rule.days_before or []),
            "life_event": rule.life_event,
            "within_days": rule.within_days,
            "active": rule.active,
        }

    def clean_days_before(self):
        text = self.cleaned_data.get("days_before") or ""
        if self.data.get(self.add_prefix("kind")) != ProactiveRuleKind.DOCUMENT_EXPIRY:
            return []
        try:
            return proactive.days_parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
