"""The service editor in sections: one short form per section, each saving only its snapshot keys.

Thin: a form turns a working snapshot into its initial values (`initial_from_snapshot`) and its
cleaned data into the snapshot keys of its section (`to_fields`), for
services.service_update_section; the rules are services.service_data_clean's, whose errors
(by snapshot key) `add_service_errors` puts next to the form's fields. The field definitions (labels,
help, limits) are those of the one-page ServiceForm, so both editors say the same.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.collation import latvian
from kernel.constants import Channel as ChannelCode

from .forms import ServiceForm, add_channel_fields, category_choices, channels_initial
from .models import LifeEvent, ServiceCentre
from .selectors import checklist

LEGAL_ACTS_MAX = 50
LEGAL_ACTS_EXTRA = 2  # empty rows to add acts without JavaScript


def _field(name: str) -> forms.Field:
    """A copy of the one-page form's field: the same label, help and limits."""
    return copy.deepcopy(ServiceForm.base_fields[name])


class SectionForm(forms.Form):
    """A section of the editor: `keys` are the snapshot keys it saves; `error_fields` maps a service
    error's key to the form field it is shown next to (keys not here and not a field: the form's own)."""

    section: str = ""
    keys: tuple[str, ...] = ()
    error_fields: dict[str, str] = {}

    def __init__(self, data=None, *, snapshot: dict[str, Any], **kwargs):
        self.snapshot = snapshot
        super().__init__(data, initial=self.initial_from_snapshot(snapshot), **kwargs)

    def initial_from_snapshot(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        return {key: snapshot.get(key) for key in self.keys}

    def to_fields(self) -> dict[str, Any]:
        """The section's snapshot keys, from the cleaned data (call after is_valid())."""
        return {key: self.cleaned_data[key] for key in self.keys}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError (by snapshot key) next to the fields it is about."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for key, messages in error.message_dict.items():
            target = self.error_fields.get(key, key)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


class BasicsForm(SectionForm):
    section = checklist.BASICS
    keys = ("title_lv", "title_en", "description_lv", "description_en", "category")

    title_lv = _field("title_lv")
    title_en = _field("title_en")
    description_lv = _field("description_lv")
    description_en = _field("description_en")
    category = _field("category")
    agency = _field("agency")

    def __init__(self, data=None, *, snapshot, agencies=None, **kwargs):
        """`agencies`: the holder agencies to choose from (a platform admin's); None: no choice."""
        super().__init__(data, snapshot=snapshot, **kwargs)
        self.fields["category"].choices = category_choices()
        if agencies is None:
            del self.fields["agency"]
        else:
            self.keys = (*self.keys, "agency")
            self.fields["agency"].choices = [(a.code, f"{a.code} — {a.name}") for a in agencies]
            self.initial["agency"] = snapshot.get("agency")

    def initial_from_snapshot(self, snapshot):
        initial = super().initial_from_snapshot(snapshot)
        initial["category"] = snapshot.get("category") or ""
        return initial

    def to_fields(self):
        fields = super().to_fields()
        fields["category"] = fields["category"] or None
        return fields


class ChannelsForm(SectionForm):
    """A checkbox per channel with its instructions in both languages; the one-stop centre channel
    also with the centres that accept the service (checkboxes)."""

    section = checklist.CHANNELS
    keys = ("channels",)
    # the e-service channel and the e-form go together: the message is shown at the channel's checkbox
    error_fields = {"eform": f"channel_{ChannelCode.E_SERVICE}"}

    def __init__(self, data=None, *, snapshot, **kwargs):
        super().__init__(data, snapshot=snapshot, **kwargs)
        centres = [(c.code, c.name) for c in ServiceCentre.objects.order_by(latvian("name_lv"))]
        self.channel_rows = add_channel_fields(self, centres=centres)
        self.channels = [channel for channel, _names in self.channel_rows]

    def initial_from_snapshot(self, snapshot):
        return channels_initial(snapshot)

    def channel_fieldsets(self):
        return [(channel, [self[name] for name in names]) for channel, names in self.channel_rows]

    def to_fields(self):
        data = self.cleaned_data
        before = self.snapshot.get("channels") or {}
        channels = {}
        for channel in self.channels:
            prefix = f"channel_{channel.code}"
            if not data.get(prefix):
                continue
            centres_field = f"{prefix}_centres"
            channels[channel.code] = {
                "instructions_lv": data.get(f"{prefix}_instructions_lv", ""),
                "instructions_en": data.get(f"{prefix}_instructions_en", ""),
                # a channel the form offers no centres for keeps those it has (e.g. set through the API)
                "centres": list(data[centres_field])
                if centres_field in self.fields
                else list((before.get(channel.code) or {}).get("centres", [])),
            }
        return {"channels": channels}


class FeesForm(SectionForm):
    section = checklist.FEES
    keys = ("fee_eur", "payment_mode")

    fee_eur = _field("fee_eur")
    payment_mode = _field("payment_mode")

    def to_fields(self):
        fee = self.cleaned_data["fee_eur"]
        return {
            "fee_eur": None if fee is None else str(fee),
            "payment_mode": self.cleaned_data["payment_mode"],
        }


class ProcessingForm(SectionForm):
    section = checklist.PROCESSING
    keys = ("processing_days",)

    processing_days = _field("processing_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processing_days"].help_text = _(
            "In working days, from the day the application is received to the decision."
        )


class AudienceForm(SectionForm):
    section = checklist.AUDIENCE
    keys = (
        "audience",
        "delegable",
        "authorised_filing_allowed",
        "one_open_case_per_subject",
        "minor_may_be_client",
        "internal",
        "municipality_specific",
    )

    audience = _field("audience")
    delegable = _field("delegable")
    authorised_filing_allowed = _field("authorised_filing_allowed")
    one_open_case_per_subject = _field("one_open_case_per_subject")
    minor_may_be_client = _field("minor_may_be_client")
    internal = _field("internal")
    municipality_specific = _field("municipality_specific")


class AccessibilityForm(SectionForm):
    section = checklist.ACCESSIBILITY
    keys = (
        "facet_multichannel",
        "facet_multichannel_note",
        "facet_territorial",
        "facet_territorial_note",
        "facet_all_groups",
        "facet_all_groups_note",
        "facet_cross_border",
        "facet_cross_border_note",
    )

    facet_multichannel = _field("facet_multichannel")
    facet_multichannel_note = _field("facet_multichannel_note")
    facet_territorial = _field("facet_territorial")
    facet_territorial_note = _field("facet_territorial_note")
    facet_all_groups = _field("facet_all_groups")
    facet_all_groups_note = _field("facet_all_groups_note")
    facet_cross_border = _field("facet_cross_border")
    facet_cross_border_note = _field("facet_cross_border_note")


class LegalActForm(forms.Form):
    """One legal act: a title and an optional web address; an empty row is left out."""

    title = forms.CharField(label=_("Title of the act"), max_length=500, required=False)
    url = forms.URLField(label=_("Web address"), max_length=1000, required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("url") and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Every legal act needs a title."))
        return cleaned


LegalActFormSet = forms.formset_factory(
    LegalActForm,
    extra=LEGAL_ACTS_EXTRA,
    can_delete=True,
    max_num=LEGAL_ACTS_MAX,
    validate_max=True,
)


class LegalForm(SectionForm):
    """Life events (checkboxes) and the legal basis as rows of title and web address."""

    section = checklist.LEGAL
    keys = ("life_events", "legal_basis")

    life_events = _field("life_events")

    def __init__(self, data=None, *, snapshot, **kwargs):
        super().__init__(data, snapshot=snapshot, **kwargs)
        self.fields["life_events"].choices = [
            (e.code, e.name) for e in LifeEvent.objects.order_by(latvian("name_lv"))
        ]
        acts = [
            {"title": act.get("title", ""), "url": act.get("url", "")}
            for act in snapshot.get("legal_basis") or []
            if isinstance(act, dict)
        ]
        self.acts = LegalActFormSet(data, initial=acts, prefix="acts")

    def initial_from_snapshot(self, snapshot):
        return {"life_events": list(snapshot.get("life_events") or [])}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        acts_valid = self.acts.is_valid()
        if valid and not acts_valid:
            self.add_error(None, _("Correct the legal acts below."))
        return valid and acts_valid

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or (self.acts.is_bound and not self.acts.is_valid())

    def to_fields(self):
        acts = []
        for row in self.acts.forms:
            cleaned = getattr(row, "cleaned_data", None) or {}
            if cleaned.get("DELETE") or not (cleaned.get("title") or "").strip():
                continue
            acts.append({"title": cleaned["title"].strip(), "url": cleaned.get("url") or ""})
        return {"life_events": list(self.cleaned_data["life_events"]), "legal_basis": acts}


SECTION_FORMS: dict[str, type[SectionForm]] = {
    checklist.BASICS: BasicsForm,
    checklist.CHANNELS: ChannelsForm,
    checklist.FEES: FeesForm,
    checklist.PROCESSING: ProcessingForm,
    checklist.AUDIENCE: AudienceForm,
    checklist.ACCESSIBILITY: AccessibilityForm,
    checklist.LEGAL: LegalForm,
}

SECTION_TITLES = {
    checklist.BASICS: _("Title, description and category"),
    checklist.CHANNELS: _("Channels and centres"),
    checklist.FEES: _("Fee and payment"),
    checklist.PROCESSING: _("Processing time"),
    checklist.AUDIENCE: _("Audience and rules"),
    checklist.ACCESSIBILITY: _("Accessibility"),
    checklist.LEGAL: _("Life events and legal basis"),
    checklist.EFORM: _("E-form"),
}
