from django import forms
from django.utils.translation import gettext_lazy as _


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
    personal_code = forms.CharField(
        label=_("Personal code of the person you trust"),
        max_length=20,
        help_text=_("For example 010190-12345."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
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
