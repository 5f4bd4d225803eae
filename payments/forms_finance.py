"""The finance staff's forms: a bank statement to upload, an unmatched credit to assign or set aside,
an overpayment settled. They check the input's shape; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .constants import BANK_STATEMENT_MAX_BYTES
from .references import rf_compact, rf_is_valid


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    payee = forms.ModelChoiceField(label=_("Account of"), queryset=None, empty_label=None)

    def __init__(self, *args, payees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].queryset = payees
        self.fields["file"].help_text = _(
            "An ISO 20022 XML file: camt.053 (account statement) or camt.054 (debit/credit "
            "notification), up to %(size)s."
        ) % {"size": filesizeformat(BANK_STATEMENT_MAX_BYTES)}
        self.only_payee = payees[0] if len(payees) == 1 else None
        if self.only_payee is not None:  # one agency's staff: its account, nothing to choose
            self.fields["payee"].initial = self.only_payee
            self.fields["payee"].required = False
            self.fields["payee"].widget = forms.HiddenInput()

    def clean_payee(self):
        return self.cleaned_data.get("payee") or self.only_payee

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > BANK_STATEMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s."),
                code="too_large",
                params={"size": filesizeformat(BANK_STATEMENT_MAX_BYTES)},
            )
        return file


class AssignForm(forms.Form):
    reference = forms.CharField(
        label=_("Payment reference of the invoice"),
        help_text=_("As on the invoice, e.g. RF30 1036 0000 0010 1; spaces and case do not matter."),
        max_length=40,
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        if not rf_is_valid(reference):
            raise forms.ValidationError(
                _("This is not a valid RF payment reference: check it against the invoice."), code="invalid"
            )
        return rf_compact(reference)


class NotOursForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is not ours, and what was done"),
        help_text=_("E.g. returned to the payer on 2 December, or forwarded to another agency."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverpaymentSettleForm(forms.Form):
    note = forms.CharField(
        label=_("How the excess was returned or credited"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
