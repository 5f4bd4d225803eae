"""Forms of the platform admin's agencies and one-stop centres pages. Thin: they carry the input and
show errors next to their fields; the services (catalogue's agency and centre writes, payments'
payee_set) decide what is valid. Field names are the services' own, so their errors land in place."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.constants import AgencyKind

AGENCY_FIELDS = ("code", "name_lv", "name_en", "kind", "email", "phone", "website")
PAYEE_FIELDS = ("legal_name", "registration_number", "iban", "bic")
_NO_SPELLCHECK = {"autocomplete": "off", "spellcheck": "false"}


def _text(label, max_length, *, required=False, help_text="", widget=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget or forms.TextInput,
    )


class AgencyForm(forms.Form):
    """An agency and, in a second fieldset, its bank details for payments (all four or none)."""

    use_required_attribute = False

    code = _text(
        _("Code"),
        20,
        required=True,
        help_text=_(
            "2 to 20 capital Latin letters, digits or hyphens, e.g. VSAA. It cannot be changed later."
        ),
        widget=forms.TextInput(attrs=_NO_SPELLCHECK),
    )
    name_lv = _text(_("Name in Latvian"), 300, required=True)
    name_en = _text(_("Name in English"), 300, required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices, initial=AgencyKind.STATE)
    email = _text(_("E-mail"), 254, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = _text(_("Phone"), 30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    website = _text(
        _("Website"),
        200,
        help_text=_("e.g. https://www.vsaa.gov.lv"),
        widget=forms.URLInput(attrs=_NO_SPELLCHECK),
    )
    # the payee (payments.Payee)
    legal_name = _text(_("Legal name"), 70, help_text=_("As the bank knows the account holder."))
    registration_number = _text(
        _("Registration number"), 20, widget=forms.TextInput(attrs={**_NO_SPELLCHECK, "inputmode": "numeric"})
    )
    iban = _text(
        _("IBAN"),
        50,
        help_text=_("e.g. LV80 BANK 0000 4351 9500 1"),
        widget=forms.TextInput(attrs=_NO_SPELLCHECK),
    )
    bic = _text(_("BIC"), 20, help_text=_("e.g. TRELLV22"), widget=forms.TextInput(attrs=_NO_SPELLCHECK))

    def __init__(self, *args, agency=None, payee=None, **kwargs):
        if agency is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(agency, name) for name in AGENCY_FIELDS},
                **({name: getattr(payee, name) for name in PAYEE_FIELDS} if payee is not None else {}),
            }
            if payee is not None:
                kwargs["initial"]["iban"] = payee.iban_display
        super().__init__(*args, **kwargs)
        self.has_payee = payee is not None
        if agency is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")

    @property
    def agency_fields(self):
        return [self[name] for name in AGENCY_FIELDS]

    @property
    def payee_fields(self):
        return [self[name] for name in PAYEE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        given = [name for name in PAYEE_FIELDS if (cleaned.get(name) or "").strip()]
        if given and len(given) < len(PAYEE_FIELDS):
            for name in PAYEE_FIELDS:
                if name not in given and name not in self.errors:
                    self.add_error(name, _("Fill in all four bank details, or none."))
        elif not given and self.has_payee:
            self.add_error(None, _("The bank details cannot be removed once set: change them instead."))
        return cleaned

    def agency_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in AGENCY_FIELDS}

    def payee_data(self) -> dict | None:
        """The four bank details, or None when none were given."""
        data = {name: (self.cleaned_data.get(name) or "").strip() for name in PAYEE_FIELDS}
        return data if any(data.values()) else None


class CentreForm(forms.Form):
    use_required_attribute = False

    code = _text(
        _("Code"),
        40,
        required=True,
        help_text=_(
            "2 to 40 capital Latin letters, digits or hyphens, e.g. VPVKAC-RIGA. It cannot be changed later."
        ),
        widget=forms.TextInput(attrs=_NO_SPELLCHECK),
    )
    name_lv = _text(_("Name in Latvian"), 300, required=True)
    name_en = _text(_("Name in English"), 300, required=True)
    municipality = forms.ChoiceField(label=_("Municipality"))
    address = _text(_("Address"), 300)
    email = _text(_("E-mail"), 254, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = _text(_("Phone"), 30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    opening_hours = _text(_("Opening hours"), 200, help_text=_("e.g. Mon–Thu 8:30–17:00, Fri 8:30–15:00"))

    FIELDS = ("code", "name_lv", "name_en", "municipality", "address", "email", "phone", "opening_hours")

    def __init__(self, *args, municipalities, centre=None, **kwargs):
        if centre is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(centre, name) for name in self.FIELDS if name != "municipality"},
                "municipality": centre.municipality.code,
            }
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "—")] + [
            (agency.code, f"{agency.name} ({agency.code})") for agency in municipalities
        ]
        if centre is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")

    def centre_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.FIELDS}
