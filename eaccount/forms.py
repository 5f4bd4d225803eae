from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalise_personal_code, normalise_registration_number

from .constants import LoginMeans
from .models import Organisation, Person
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
    class Meta:
        model = Person
        fields = ["personal_code", "first_name", "last_name", "email", "phone", "address"]

    def clean_personal_code(self):
        return normalise_personal_code(self.cleaned_data["personal_code"])


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["registration_number", "name", "address", "email"]

    def clean_registration_number(self):
        return normalise_registration_number(self.cleaned_data["registration_number"])
