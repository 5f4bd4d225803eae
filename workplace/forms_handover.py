"""The hand-over form: whom to (a radio), the colleague, the centre or the second-level specialist
(each a select, used for its choice of target), and the note. Whether the receiver fits the target is
the service's to say (`services.handovers.handover_create`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.widgets import PlainSelect

from .constants import HandoverTarget
from .services.handovers import NOTE_LIMIT


class HandoverForm(forms.Form):
    target = forms.ChoiceField(label=_("Hand it to"), widget=forms.RadioSelect)
    to_user = forms.ModelChoiceField(
        label=_("Colleague"),
        help_text=_("When handing it to a colleague."),
        queryset=None,
        required=False,
        widget=PlainSelect,
        empty_label="—",
    )
    to_centre = forms.ModelChoiceField(
        label=_("Centre"),
        help_text=_("When handing it to a centre: yours, or another one-stop centre."),
        queryset=None,
        required=False,
        widget=PlainSelect,
        empty_label="—",
    )
    second_level_user = forms.ModelChoiceField(
        label=_("Second-level specialist"),
        help_text=_("When handing it to a second-level specialist: leave it empty for any of the agency's."),
        queryset=None,
        required=False,
        widget=PlainSelect,
        empty_label="—",
    )
    note = forms.CharField(
        label=_("Note for the receiver"),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What has been done and what is left to do (at most 2000 characters)."),
    )

    def __init__(self, *args, targets, colleagues, centres, agency_staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (value, label) for value, label in HandoverTarget.choices if value in targets
        ]
        self.fields["to_user"].queryset = colleagues
        if HandoverTarget.CENTRE in targets:
            self.fields["to_centre"].queryset = centres
        else:
            del self.fields["to_centre"]
        if HandoverTarget.SECOND_LEVEL in targets:
            self.fields["second_level_user"].queryset = agency_staff
        else:
            del self.fields["second_level_user"]
