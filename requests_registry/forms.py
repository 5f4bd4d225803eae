"""HTML forms of the registry. The e-form is rendered from its definition; the catalogue's validator
(`catalogue.eforms.eform_validate`, through services.case_validate_form) decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalise_personal_code
from kernel.widgets import PlainSelect

from .constants import CaseStatus, Channel, ConsultationOutcome


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, JPG or PNG, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        coerce=int,
        choices=[
            (5, _("5 — very satisfied")),
            (4, _("4 — satisfied")),
            (3, _("3 — neither")),
            (2, _("2 — dissatisfied")),
            (1, _("1 — very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)
    service = forms.ChoiceField(label=_("Service"), required=False, widget=PlainSelect)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *CaseStatus.choices]
        self.fields["service"].choices = [("", _("All services"))] + [
            (s.code, f"{s.code} {s.title}") for s in services
        ]


class StaffCaseFilterForm(CaseFilterForm):
    number = forms.CharField(label=_("Case number"), required=False, max_length=20)
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    visible_to_client = forms.BooleanField(
        label=_("The client sees this change and the note"), required=False, initial=True
    )

    def __init__(self, *args, targets: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        targets = sorted(targets - {CaseStatus.NEEDS_INFO})
        self.fields["to"].choices = [(t, CaseStatus(t).label) for t in targets]


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label=_("What should the client add?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultForm(forms.Form):
    document = forms.FileField(
        label=_("Result document"),
        help_text=_("PDF or a signed e-document (.asice, .edoc), up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.asice,.edoc"}),
    )
    title = forms.CharField(label=_("Title shown to the client (optional)"), required=False, max_length=300)
    complete = forms.BooleanField(label=_("Complete the case"), required=False, initial=True)
    note = forms.CharField(label=_("Note to the client (optional)"), required=False, max_length=4000)

    def __init__(self, *args, can_complete: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_complete:  # the status does not allow completing: deliver the document only
            del self.fields["complete"]


class ConsultationForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    service = forms.ChoiceField(label=_("Service (optional)"), required=False)
    personal_code = forms.CharField(
        label=_("Client's personal code (leave empty for an anonymous client)"), required=False, max_length=20
    )
    anonymous_phone = forms.CharField(
        label=_("Phone of an anonymous client (optional)"), required=False, max_length=30
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConsultationOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    article = forms.IntegerField(
        label=_("Knowledge base article used (its number, optional)"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The number is at the end of the article's address and on its page."),
    )
    article_useful = forms.TypedChoiceField(
        label=_("Did the article answer the question?"),
        required=False,
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    script_run = forms.IntegerField(
        label=_("Call script run (its number, optional)"), required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "—")] + [(s.code, f"{s.code} {s.title}") for s in services]

    def clean_personal_code(self) -> str:
        code = self.cleaned_data["personal_code"]
        return normalise_personal_code(code) if code else ""
