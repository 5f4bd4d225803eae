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
