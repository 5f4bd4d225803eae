"""Payees (an agency's bank details, which the catalogue does not keep) and invoices."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from kernel.identifiers import validate_registration_number

from .constants import InvoiceKind, InvoiceState
from .references import rf_format


def validate_iban(value: str) -> None:
    try:
        stdnum_iban.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Enter a valid IBAN, e.g. LV80BANK0000435195001."), code="invalid_iban"
        ) from None
    if stdnum_iban.compact(value) != value:
        raise ValidationError(
            _("Write the IBAN without spaces, in capital letters."), code="iban_not_compact"
        )


validate_bic = RegexValidator(
    r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("Enter a BIC of 8 or 11 characters, e.g. TRELLV22.")
)


class Payee(models.Model):
    """Whom an agency's invoices are paid to: its legal name, registration number and account."""

    agency = models.OneToOneField(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="payee"
    )
    legal_name = models.CharField(_("legal name"), max_length=70)  # the EPC QR code takes 70 at most
    registration_number = models.CharField(
        _("registration number"), max_length=11, validators=[validate_registration_number]
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, validators=[validate_bic])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban)


class InvoiceSequence(models.Model):
    """The last invoice number given within one case; locked (SELECT … FOR UPDATE) to take the next,
    so a number — and the reference made from it — is never given twice, even after a deletion."""

    case = models.OneToOneField(
        "requests_registry.Case", on_delete=models.PROTECT, related_name="invoice_sequence", primary_key=True
    )
    last_value = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.last_value}"


def invoice_pdf_upload_to(instance: Invoice, filename: str) -> str:
    return f"invoices/{instance.payee.agency_id}/{instance.case_id}/{uuid.uuid4().hex}.pdf"


class Invoice(models.Model):
    """An invoice (rēķins) for a case of a service with a fee, with its ISO 11649 reference."""

    case = models.ForeignKey(
        "requests_registry.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="invoices"
    )
    seq = models.PositiveSmallIntegerField(_("number within the case"))
    service_code = models.CharField(_("service code"), max_length=6)
    payer_person = models.ForeignKey(
        "eaccount.Person",
        verbose_name=_("payer (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    payer_organisation = models.ForeignKey(
        "eaccount.Organisation",
        verbose_name=_("payer (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    payee = models.ForeignKey(
        Payee, verbose_name=_("payee"), on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_amount = models.DecimalField(
        _("paid (EUR)"), max_digits=9, decimal_places=2, default=Decimal("0.00")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=InvoiceState.choices, default=InvoiceState.ISSUED
    )
    reference = models.CharField(_("payment reference"), max_length=25, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    due_date = models.DateField(_("due date"))
    pdf = models.FileField(_("PDF"), upload_to=invoice_pdf_upload_to, blank=True, max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="payments_invoice_case_seq"),
            models.CheckConstraint(
                condition=(
                    Q(payer_person__isnull=False, payer_organisation__isnull=True)
                    | Q(payer_person__isnull=True, payer_organisation__isnull=False)
                ),
                name="payments_invoice_one_payer",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_invoice_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0), name="payments_invoice_paid_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reference__startswith="RF"), name="payments_invoice_reference_rf"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="payments_invoice_state_due"),
        ]

    def __str__(self) -> str:
        return self.reference_display

    def get_absolute_url(self) -> str:
        return reverse("payments:invoice-detail", kwargs={"pk": self.pk})

    @property
    def reference_display(self) -> str:
        return rf_format(self.reference)

    @property
    def payer(self):
        return self.payer_person if self.payer_person_id else self.payer_organisation

    @property
    def amount_due(self) -> Decimal:
        return max(self.amount - self.paid_amount, Decimal("0.00"))
