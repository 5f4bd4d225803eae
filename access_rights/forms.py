"""The access-rights pages' forms: thin, the services decide (and name the fields they refuse)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eaccount.constants import StaffRoleKind

from .constants import REQUEST_ENTRIES_MAX, REQUESTABLE_KINDS, AccessRequestAction
from .signed_documents import ACCEPTED_EXTENSIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scope_key(obj) -> str:
    """ "agency:3" or "centre:5": one choice field for an agency or a centre."""
    return f"{'centre' if hasattr(obj, 'municipality_id') else 'agency'}:{obj.pk}"


def scope_choices(agencies, centres) -> list[tuple[str, str]]:
    return [(scope_key(a), f"{a.name} ({a.code})") for a in agencies] + [
        (scope_key(c), f"{c.name} ({c.code})") for c in centres
    ]


class ScopeForm(forms.Form):
    scope = forms.ChoiceField(label=_("Agency or one-stop centre"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(choices)
        # a filter's empty choice ("all of mine") is a choice, not a missing answer
        self.fields["scope"].required = all(value for value, _label in self.fields["scope"].choices)


class AccessRequestForm(ScopeForm):
    document = forms.FileField(
        label=_("Signed request"),
        help_text=_(
            "The request signed with a secure electronic signature and a time stamp: an .edoc or .asice "
            "container, or a signed PDF."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    note = forms.CharField(
        label=_("Note to the ministry"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EntryForm(forms.Form):
    """One employee; a row without a personal code is left out."""

    action = forms.ChoiceField(
        label=_("Action"), choices=AccessRequestAction.choices, initial=AccessRequestAction.GRANT
    )
    kind = forms.ChoiceField(label=_("Right"), choices=[(k.value, k.label) for k in REQUESTABLE_KINDS])
    personal_code = forms.CharField(label=_("Personal code"), max_length=20, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    permanent = forms.BooleanField(label=_("Permanent"), required=False)


EntryFormSet = forms.formset_factory(EntryForm, extra=3, max_num=REQUEST_ENTRIES_MAX, validate_max=True)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GrantForm(ScopeForm):
    personal_code = forms.CharField(label=_("Personal code"), max_length=20)
    kind = forms.ChoiceField(label=_("Role"))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DATE, help_text=_("The last day the role holds.")
    )
    permanent = forms.BooleanField(label=_("Permanent (no end date)"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, StaffRoleKind(k).label) for k in kinds]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
