"""Payees (an agency's bank details, which the catalogue does not keep) and invoices."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from kernel.identifiers import validate_registration_number

from .constants import InvoiceKind, InvoiceState, PaymentSessionState, PaymentSource
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


class Payment(models.Model):
    """Money received for an invoice, from one source (the gateway, the payee agency's finance system
    through the API, a bank statement, a person). `(source, source_key)` is unique: the same payment
    told twice is recorded once. A reversal (the bank took it back) keeps the row and marks it."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = models.CharField(_("source"), max_length=20, choices=PaymentSource.choices)
    # e.g. the gateway session's id, "<api client id>:<their payment id>", "<IBAN>:<entry ref>:<index>"
    source_key = models.CharField(_("source's identifier"), max_length=200)
    paid_on = models.DateField(_("paid on"))
    payer_name = models.CharField(_("paid by"), max_length=140, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="payments_payment_source_key"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["invoice", "recorded_at"], name="payments_payment_invoice")]

    def __str__(self) -> str:
        return f"{self.amount} EUR → {self.invoice_id}"


class PaymentSession(models.Model):
    """One attempt to pay an invoice online through a gateway: opened by the payer, closed by the
    gateway's signed notification, or expired (PAYMENT_SESSION_MINUTES)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payment_sessions"
    )
    gateway = models.CharField(_("gateway"), max_length=30)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=9, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=PaymentSessionState.choices, default=PaymentSessionState.OPEN
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_session_amount_positive"),
        ]

    def __str__(self) -> str:
        return str(self.id)


# --- bank statements (camt.053 / camt.054): payments/services/statements.py ------------------------

from .constants import (  # noqa: E402 - the bank statements' part of the module
    BalanceCheck,
    BankStatementKind,
    BankTransactionOutcome,
    BankTransactionProblem,
)


class BankStatement(models.Model):
    """One imported statement file (camt.053) or notification (camt.054) of a payee's account, with
    the import's report: how many entries, matched, partly paid, overpaid, unmatched, reversed,
    duplicates skipped, rejected, debits ignored, and the balance check."""

    payee = models.ForeignKey(
        Payee, verbose_name=_("payee"), on_delete=models.PROTECT, related_name="bank_statements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BankStatementKind.choices)
    message_id = models.CharField(_("message id"), max_length=35, blank=True)
    statement_id = models.CharField(_("statement id"), max_length=200, blank=True)
    namespace = models.CharField(_("format"), max_length=80)
    account_iban = models.CharField(_("account"), max_length=34)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opening_balance = models.DecimalField(
        _("opening balance (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    closing_balance = models.DecimalField(
        _("closing balance (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    balance_check = models.CharField(
        _("balance check"), max_length=20, choices=BalanceCheck.choices, default=BalanceCheck.NOT_CHECKED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["payee", "-imported_at"], name="payments_bankstmt_payee")]

    def __str__(self) -> str:
        return self.file_name or self.statement_id or str(self.pk)


class BankTransaction(models.Model):
    """One transaction of a statement's credit entry (or reversal): a batch entry gives one row per
    transaction. `(account_iban, entry_reference, tx_index)` is unique: the same entry imported
    again (the same file twice, or a notification and then the day's statement) is skipped. The
    outcome says what the import made of it; a person resolves the unmatched ones."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="transactions"
    )
    # the payee's open transactions are found by the partial index below; no index of its own (a
    # statement of 100,000 transactions writes each index 100,000 times)
    payee = models.ForeignKey(
        Payee, verbose_name=_("payee"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    account_iban = models.CharField(_("account"), max_length=34)
    entry_reference = models.CharField(_("entry reference"), max_length=40)
    tx_index = models.PositiveIntegerField(_("transaction within the entry"))
    is_credit = models.BooleanField(_("credit"), default=True)
    is_reversal = models.BooleanField(_("reversal"), default=False)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_text = models.CharField(_("amount as written"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    booked_on = models.DateField(_("booked on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    remittance = models.CharField(_("remittance information"), max_length=280, blank=True)
    debtor_name = models.CharField(_("paid by"), max_length=140, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=BankTransactionOutcome.choices,
        default=BankTransactionOutcome.UNMATCHED,
    )
    problem = models.CharField(
        _("why rejected"), max_length=30, choices=BankTransactionProblem.choices, blank=True
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_transactions",
    )
    payment = models.ForeignKey(  # payments are never deleted: no index for PROTECT to look with
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["statement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "entry_reference", "tx_index"], name="payments_banktx_entry"
            ),
        ]
        indexes = [
            # the finance staff's list of what waits for a person
            models.Index(
                fields=["payee", "-id"],
                name="payments_banktx_open",
                condition=Q(outcome__in=[BankTransactionOutcome.UNMATCHED, BankTransactionOutcome.REJECTED]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_iban}:{self.entry_reference}:{self.tx_index}"

    @property
    def source_key(self) -> str:
        """The key of the Payment made from it (source bank_statement)."""
        return f"{self.account_iban}:{self.entry_reference}:{self.tx_index}"
