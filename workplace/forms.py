"""The workplace's forms: serving a client (who and how their identity was checked), the purpose of a
look at a profile, and the steps of the authorised e-service. The services decide what is valid; the
forms carry the input and show the errors next to their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import IdentityCheck, IdentityDocument, ProfilePurpose, ResultNotice, VisitChannel


class ClientKind:
    PERSON = "person"
    ORGANISATION = "organisation"
    CHOICES = (
        (PERSON, _("A person (personal code)")),
        (ORGANISATION, _("An organisation (registration number)")),
    )


class VisitStartForm(forms.Form):
    """Step 1 of serving anyone: who, on which channel, and how their identity was checked."""

    use_required_attribute = False

    channel = forms.ChoiceField(
        label=_("How is the client served?"),
        choices=VisitChannel.choices,
        widget=forms.RadioSelect,
        initial=VisitChannel.IN_PERSON,
    )
    kind = forms.ChoiceField(
        label=_("Client"), choices=ClientKind.CHOICES, widget=forms.RadioSelect, initial=ClientKind.PERSON
    )
    code = forms.CharField(
        label=_("Personal code or registration number"),
        max_length=20,
        help_text=_("A person is also found by a previous personal code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    identity_check = forms.ChoiceField(
        label=_("How was the identity checked?"), choices=IdentityCheck.choices, widget=forms.RadioSelect
    )
    identity_document = forms.ChoiceField(
        label=_("Identity document"), choices=[("", "—"), *IdentityDocument.choices], required=False
    )
    identity_document_number = forms.CharField(
        label=_("Document number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    identity_note = forms.CharField(
        label=_("Note on the identity check"),
        max_length=300,
        required=False,
        help_text=_("On the phone: which questions from the profile the client answered."),
    )


class ProfilePurposeForm(forms.Form):
    """Why the profile is opened: the client reads it in "who looked at my data"."""

    use_required_attribute = False

    purpose = forms.ChoiceField(
        label=_("Why do you open the client's profile?"),
        choices=ProfilePurpose.choices,
        widget=forms.RadioSelect,
    )
    purpose_text = forms.CharField(
        label=_("What it is about"),
        max_length=300,
        required=False,
        help_text=_("For a case: its number; for a consultation: the question. The client sees this text."),
    )


class AgencyProfileForm(ProfilePurposeForm):
    """An agency's staff look a client up: the profile is limited to their agency's services."""

    field_order = ["kind", "code", "purpose", "purpose_text"]

    kind = VisitStartForm.base_fields["kind"]
    code = VisitStartForm.base_fields["code"]


class ServiceChoiceForm(forms.Form):
    """A service chosen from `services` (a select of code and title). Any code is taken: the service
    that is called refuses one it may not take, with the reason."""

    use_required_attribute = False

    service = forms.CharField(label=_("Service"), max_length=20, widget=forms.Select)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].widget.choices = [("", "—")] + [
            (s.code, f"{s.code} {s.title}") for s in services
        ]


class FilingStartForm(ServiceChoiceForm):
    purpose = forms.CharField(
        label=_("Purpose of the authorisation"),
        max_length=300,
        required=False,
        help_text=_("Printed on the written authorisation; by default: to apply for the service."),
    )


class FilingSignedForm(forms.Form):
    use_required_attribute = False

    informed = forms.BooleanField(
        label=_("I told the client how their personal data will be used, as the authorisation says."),
        required=False,
    )
    signed = forms.BooleanField(
        label=_("The client signed both copies of the written authorisation."), required=False
    )
    scan = forms.FileField(
        label=_("Scan of the signed copy (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class FilingScanForm(forms.Form):
    use_required_attribute = False

    scan = forms.FileField(
        label=_("Scan of the signed copy (PDF)"),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class ResultNoticeForm(forms.Form):
    use_required_attribute = False

    notice = forms.ChoiceField(
        label=_("How does the client want to be told the result?"),
        choices=ResultNotice.choices,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("E-mail address, mobile number or postal address"),
        max_length=300,
        required=False,
        help_text=_("Read it back to the client. Not needed when they do not want to be told."),
    )


class PaperReceivedForm(forms.Form):
    """How the application reached the centre, and the scan of the paper."""

    use_required_attribute = False

    channel = forms.ChoiceField(
        label=_("How was the application received?"),
        choices=[
            ("vpvkac", _("On paper at the centre's desk")),
            ("post", _("By post")),
            ("email", _("By e-mail")),
            ("phone", _("On the phone")),
        ],
        widget=forms.RadioSelect,
    )
    scan = forms.FileField(
        label=_("Scan of the application (PDF, optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
