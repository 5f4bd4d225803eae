from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalise_personal_code


class ActForForm(forms.Form):
    principal = forms.ChoiceField(label=_("Act for"), widget=forms.RadioSelect)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, principals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].choices = [(p.key, _choice_label(p)) for p in principals]


def _choice_label(principal) -> str:
    from .constants import Basis

    if principal.is_self:
        return f"{principal.label} ({Basis.SELF.label})"
    return f"{principal.label} ({Basis(principal.basis).label})"


class DelegationGrantForm(forms.Form):
    """Whom to trust: personal code, first name and last name, all three as in the register (the
    portal checks they match and never shows a name the user did not type)."""

    personal_code = forms.CharField(
        label=_("Personal code of the person you trust"),
        max_length=20,
        help_text=_("For example 010190-12345."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("First name of the person you trust"),
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name of the person you trust"),
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    services = forms.MultipleChoiceField(
        label=_("Services (leave all unticked for every service that may be delegated)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_until = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        help_text=_("Leave empty for a delegation until you revoke it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(s.code, f"{s.code} {s.title}") for s in services]

    def clean_personal_code(self) -> str:
        """The code's form is checked here (public arithmetic, no register read): a typo is told apart
        from "no such person" only where the register is not asked."""
        return normalise_personal_code(self.cleaned_data["personal_code"])
