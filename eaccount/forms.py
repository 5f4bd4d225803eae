from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalise_personal_code, normalise_registration_number

from . import rules
from .constants import AGENCY_ROLES, CENTRE_ROLES, LoginMeans
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


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["registration_number", "name", "address", "email"]

    def clean_registration_number(self):
        return normalise_registration_number(self.cleaned_data["registration_number"])


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
