"""Forms of the catalogue's pages: thin; the rules are in services.service_data_clean."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.collation import latvian
from kernel.collation import sort_key as latvian_sort_key
from kernel.constants import Channel as ChannelCode

from .constants import Audience, PaymentMode
from .models import Agency, Category, Channel, LifeEvent, ServiceCentre

MAX_QUERY_LENGTH = 10_000


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)


def _legal_basis_text(items: list[dict]) -> str:
    return "\n".join(f"{i.get('title', '')} | {i.get('url', '')}".rstrip(" |") for i in items or [])


def _legal_basis_parse(text: str) -> list[dict]:
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.partition("|")
        items.append({"title": title.strip(), "url": url.strip()})
    return items


def category_choices() -> list[tuple[str, str]]:
    """The categories to choose from: "— none —", then "parent › child" in Latvian order."""
    categories = list(Category.objects.select_related("parent"))
    return [("", _("— none —"))] + sorted(
        ((c.slug, f"{c.parent.name} › {c.name}" if c.parent_id else c.name) for c in categories),
        key=lambda pair: latvian_sort_key(str(pair[1])),
    )


def _instructions(label) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), required=False)


def add_channel_fields(
    form: forms.BaseForm, *, centres: list[tuple[str, str]]
) -> list[tuple[Channel, list[str]]]:
    """Adds to `form` a checkbox per channel with how to apply in both languages, and for the one-stop
    centre channel the `centres` that accept the service; (channel, its field names) per channel."""
    rows = []
    for channel in Channel.objects.all():
        prefix = f"channel_{channel.code}"
        form.fields[prefix] = forms.BooleanField(label=channel.name, required=False)
        form.fields[f"{prefix}_instructions_lv"] = _instructions(_("How to apply (Latvian)"))
        form.fields[f"{prefix}_instructions_en"] = _instructions(_("How to apply (English)"))
        names = [prefix, f"{prefix}_instructions_lv", f"{prefix}_instructions_en"]
        if channel.code == ChannelCode.VPVKAC:
            form.fields[f"{prefix}_centres"] = forms.MultipleChoiceField(
                label=_("Centres that accept it"),
                choices=centres,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            names.append(f"{prefix}_centres")
        rows.append((channel, names))
    return rows


def channels_initial(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The channel fields' initial values from a snapshot's `channels`."""
    initial: dict[str, Any] = {}
    for code, info in (snapshot.get("channels") or {}).items():
        initial[f"channel_{code}"] = True
        initial[f"channel_{code}_instructions_lv"] = info.get("instructions_lv", "")
        initial[f"channel_{code}_instructions_en"] = info.get("instructions_en", "")
        initial[f"channel_{code}_centres"] = list(info.get("centres", []))
    return initial


class ServiceForm(forms.Form):
    """One page for a whole catalogue entry: texts, facts, facets, channels and the e-form."""

    code = forms.CharField(
        label=_("Service code"), max_length=6, help_text=_("4 to 6 digits; it cannot be changed later.")
    )
    agency = forms.ChoiceField(label=_("Holder agency"))
    title_lv = forms.CharField(label=_("Title (Latvian)"), max_length=400)
    title_en = forms.CharField(label=_("Title (English)"), max_length=400, required=False)
    description_lv = forms.CharField(label=_("Description (Latvian)"), widget=forms.Textarea, required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, widget=forms.RadioSelect)
    fee_eur = forms.DecimalField(
        label=_("Fee (EUR)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Leave empty for a free service."),
    )
    payment_mode = forms.ChoiceField(
        label=_("Payment mode"), choices=PaymentMode.choices, widget=forms.RadioSelect
    )
    processing_days = forms.IntegerField(
        label=_("Target processing time (days)"), min_value=0, max_value=3650
    )
    authorised_filing_allowed = forms.BooleanField(
        label=_("A one-stop centre specialist may file it for a client under a written authorisation"),
        required=False,
    )
    delegable = forms.BooleanField(label=_("May be delegated to another person"), required=False)
    one_open_case_per_subject = forms.BooleanField(
        label=_("One open case per subject: a one-off service"),
        required=False,
        help_text=_(
            "A second case about the same person (the e-form's case subject, else the client) is "
            "refused while the first one is open."
        ),
    )
    minor_may_be_client = forms.BooleanField(
        label=_("A minor may be the client"),
        required=False,
        help_text=_("A parent may file it with their minor child as the client (e.g. a child's passport)."),
    )
    internal = forms.BooleanField(label=_("Internal: for officials only"), required=False)
    municipality_specific = forms.BooleanField(
        label=_("Municipality-specific: shown to residents of the holder municipality"), required=False
    )
    facet_multichannel = forms.BooleanField(label=_("Available on several channels"), required=False)
    facet_multichannel_note = forms.CharField(
        label=_("Multichannel: note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    facet_territorial = forms.BooleanField(label=_("Available in the whole territory"), required=False)
    facet_territorial_note = forms.CharField(
        label=_("Territorial: note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    facet_all_groups = forms.BooleanField(label=_("Accessible to all groups of society"), required=False)
    facet_all_groups_note = forms.CharField(
        label=_("All groups: note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    facet_cross_border = forms.BooleanField(label=_("Available across borders"), required=False)
    facet_cross_border_note = forms.CharField(
        label=_("Cross-border: note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    life_events = forms.MultipleChoiceField(
        label=_("Related life events"), required=False, widget=forms.CheckboxSelectMultiple
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One act per line: title | web address"),
    )
    eform = forms.CharField(
        label=_("E-form definition (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_(
            "A list of fields: name, type (text, long_text, number, date, choice, checkbox, personal_code, "
            "iban, email, phone, file), label_lv, label_en, required, help_lv, help_en and the limits of the "
            "type. A date may also have not_in_future, not_in_past (true) and max_months_ago, "
            "max_months_ahead (months). A personal code and a date with the same subject (e.g. "
            '"subject": "child") are that person\'s code and date of birth; "case_subject": true marks '
            "the one required personal code of the person the case is about."
        ),
    )

    def __init__(self, *args, agencies, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if not creating:
            del self.fields["code"]
        self.fields["agency"].choices = [(a.code, f"{a.code} — {a.name}") for a in agencies]
        self.fields["category"].choices = category_choices()
        self.fields["life_events"].choices = [
            (e.code, e.name) for e in LifeEvent.objects.order_by(latvian("name_lv"))
        ]
        self.channel_rows = add_channel_fields(
            self, centres=[(c.code, c.name) for c in ServiceCentre.objects.all()]
        )
        self.channels = [channel for channel, _names in self.channel_rows]

    def channel_fieldsets(self):
        return [(channel, [self[name] for name in names]) for channel, names in self.channel_rows]

    @classmethod
    def initial_from_snapshot(cls, snapshot: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in snapshot.items() if k not in ("channels", "legal_basis", "eform")}
        initial["legal_basis"] = _legal_basis_text(snapshot.get("legal_basis") or [])
        initial["eform"] = json.dumps(snapshot.get("eform") or [], ensure_ascii=False, indent=2)
        initial["category"] = snapshot.get("category") or ""
        initial.update(channels_initial(snapshot))
        return initial

    def clean_eform(self):
        text = self.cleaned_data.get("eform") or ""
        if not text.strip():
            return []
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("The e-form is not valid JSON: %(error)s") % {"error": error}
            ) from None
        return value

    def to_data(self) -> dict[str, Any]:
        """The cleaned form as the snapshot-shaped dict the services take."""
        data = dict(self.cleaned_data)
        data["legal_basis"] = _legal_basis_parse(data.get("legal_basis", ""))
        data["fee_eur"] = None if data.get("fee_eur") is None else str(data["fee_eur"])
        channels = {}
        for channel in self.channels:
            prefix = f"channel_{channel.code}"
            if data.pop(prefix, False):
                channels[channel.code] = {
                    "instructions_lv": data.get(f"{prefix}_instructions_lv", ""),
                    "instructions_en": data.get(f"{prefix}_instructions_en", ""),
                    "centres": data.get(f"{prefix}_centres", []),
                }
            for suffix in ("_instructions_lv", "_instructions_en", "_centres"):
                data.pop(prefix + suffix, None)
        data["channels"] = channels
        return data

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError (by field) on the form's fields."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


def agency_choices(agencies) -> list[Agency]:
    return list(agencies.order_by("code"))


# --- publishing with four eyes ----------------------------------------------------------------------


class PublishConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the changes"),
        error_messages={"required": _("Tick the box to confirm you have read the changes.")},
    )


class AgencySettingsForm(forms.Form):
    four_eyes_publishing = forms.BooleanField(
        label=_("A second administrator publishes"),
        help_text=_(
            "A change of a service is published only by an administrator of the agency who did not "
            "prepare it. Withdrawing a service stays possible for any administrator."
        ),
        required=False,
    )
