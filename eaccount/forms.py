from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalise_personal_code, normalise_registration_number

from . import rules
from .constants import (
    AGENCY_ROLES,
    CENTRE_ROLES,
    OPT_IN_NOTICE_KINDS,
    LoginMeans,
    NoticeChannel,
    NoticeKind,
    PreferredLanguage,
)
from .contacts import EMAIL_INVALID, normalise_phone, phone_display
from .exceptions import StaffRoleGrantNotAllowed
from .models import Organisation, Person, StaffRole
from .selectors import demo_login_persons


class DemoLoginForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Demo person"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the demo persons.")},
    )
    means = forms.ChoiceField(
        label=_("Means of identification"),
        choices=LoginMeans.choices,
        initial=LoginMeans.EID_CARD,
        widget=forms.RadioSelect,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = demo_login_persons()
        self.fields["person"].label_from_instance = self._person_label

    @staticmethod
    def _person_label(person: Person) -> str:
        suffix = "" if hasattr(person, "user") else " — " + str(_("no login (no eID)"))
        return f"{person.full_name} ({person.personal_code}){suffix}"

    def clean_person(self):
        person = self.cleaned_data["person"]
        user = getattr(person, "user", None)
        if user is None or not user.is_active:
            raise forms.ValidationError(
                _("%(name)s has no login: a person without eID cannot log in to the portal."),
                code="no_login",
                params={"name": person.full_name},
            )
        return person


class PersonForm(forms.ModelForm):
    """Both codes in their normal form; the model says when one is taken (in either column)."""

    class Meta:
        model = Person
        fields = [
            "personal_code",
            "previous_personal_code",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
        ]

    def clean_personal_code(self):
        return normalise_personal_code(self.cleaned_data["personal_code"])

    def clean_previous_personal_code(self):
        value = self.cleaned_data.get("previous_personal_code")
        return normalise_personal_code(value) if value else None

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["registration_number", "name", "address", "email", "phone"]

    def clean_registration_number(self):
        return normalise_registration_number(self.cleaned_data["registration_number"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))


class StaffRoleGrantForm(forms.ModelForm):
    """A grant of a role by `granter`, refused unless rules.staff_role_grant_allowed (the page offers
    only what the granter's scope allows; the service asks the same rule again when it saves)."""

    granter = None  # the page sets it (the admin's get_form), or pass granter=

    class Meta:
        model = StaffRole
        fields = ["user", "kind", "agency", "centre", "valid_from", "valid_until", "permanent"]

    def __init__(self, *args, granter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if granter is not None:
            self.granter = granter

    def clean(self):
        cleaned = super().clean()
        kind, agency, centre = cleaned.get("kind"), cleaned.get("agency"), cleaned.get("centre")
        # a missing agency or centre is the model's to say ("choose the agency"), not a refusal
        scoped = (kind not in AGENCY_ROLES or agency is not None) and (
            kind not in CENTRE_ROLES or centre is not None
        )
        if (
            kind
            and scoped
            and not rules.staff_role_grant_allowed(
                granter=self.granter,
                kind=kind,
                agency_id=agency.pk if agency else None,
                centre_id=centre.pk if centre else None,
            )
        ):
            raise forms.ValidationError(
                StaffRoleGrantNotAllowed.default_message, code=StaffRoleGrantNotAllowed.code
            )
        return cleaned


# --- the e-account page: contact details, language, notice choices ---------------------------------
# Each form carries the key of the party it was shown for (`party`): the view refuses a form posted
# for another party than the one the user acts for now.


class _PartyForm(forms.Form):
    """Three of these share the page: each names its inputs' ids with its own prefix."""

    id_prefix = "party"
    party = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ContactDetailsForm(_PartyForm):
    id_prefix = "contact"
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": EMAIL_INVALID},
        help_text=_(
            "A new address is used only after you open the link we send to it. Leave it empty to "
            "receive no e-mail."
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=_("A mobile number receives SMS notices, e.g. +371 21234567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    @classmethod
    def for_party(cls, *, key: str, party, details) -> "ContactDetailsForm":
        """Unbound, showing the pending address (if any) rather than the confirmed one."""
        email = details.pending.email if details.pending and not details.pending.expired else party.email
        return cls(initial={"party": key, "email": email, "phone": phone_display(party.phone)})


class LanguageForm(_PartyForm):
    id_prefix = "language"
    language = forms.ChoiceField(
        label=_("Language of notices and messages"),
        choices=PreferredLanguage.choices,
        widget=forms.RadioSelect,
    )


class ChannelCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of the channels of one kind of notice: the e-account one always checked and
    disabled (it cannot be switched off), a channel that cannot be used now disabled."""

    def __init__(self, *args, unavailable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable = frozenset(unavailable)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        if value == NoticeChannel.E_ACCOUNT:
            selected = True
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value == NoticeChannel.E_ACCOUNT or value in self.unavailable:
            option["attrs"]["disabled"] = True
        return option


class NoticeChoicesForm(_PartyForm):
    """A field per kind of notice (a fieldset of checkboxes: e-account, e-mail, SMS). Whether e-mail
    and SMS can be chosen is the service's to say (it refuses them without a confirmed address or a
    mobile number); the page disables them then and says why."""

    id_prefix = "notice"

    def __init__(self, *args, email_possible: bool = True, sms_possible: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        unavailable = set()
        if not email_possible:
            unavailable.add(NoticeChannel.EMAIL.value)
        if not sms_possible:
            unavailable.add(NoticeChannel.SMS.value)
        for kind in NoticeKind:
            help_text = (
                _("Off until you choose: without your consent these come to the e-account only.")
                if kind in OPT_IN_NOTICE_KINDS
                else ""
            )
            self.fields[kind.value] = forms.MultipleChoiceField(
                label=kind.label,
                required=False,
                choices=NoticeChannel.choices,
                widget=ChannelCheckboxes(unavailable=unavailable),
                help_text=help_text,
            )

    @classmethod
    def for_party(cls, *, key: str, choices_now: dict, **kwargs) -> "NoticeChoicesForm":
        initial = {"party": key} | {kind: sorted(channels) for kind, channels in choices_now.items()}
        return cls(initial=initial, **kwargs)

    def kind_fields(self):
        return [self[kind.value] for kind in NoticeKind]

    def choices(self) -> dict[str, set[str]]:
        """{kind: channels} as posted (the e-account always)."""
        return {
            kind.value: set(self.cleaned_data.get(kind.value) or ()) | {NoticeChannel.E_ACCOUNT.value}
            for kind in NoticeKind
        }
