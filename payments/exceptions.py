"""Errors the payments' services and selectors raise: the kernel's DomainError vocabulary."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, Invalid
from kernel.errors import NotFound as _NotFound


class InvoiceNotFound(_NotFound):
    """Missing or not the asker's to see: the same answer for both."""

    code = "invoice-not-found"
    default_message = _("No such invoice.")


class ServiceHasNoFee(ActionNotAllowed):
    code = "invoice-service-free"
    default_message = _("This service is free of charge: it has no invoice.")


class PayeeMissing(ActionNotAllowed):
    code = "invoice-payee-missing"
    default_message = _("The agency's bank account for payments is not known yet.")


class OpenInvoiceExists(ActionNotAllowed):
    code = "invoice-open-exists"
    default_message = _("This case already has an invoice of this kind to pay.")


class InvoiceLimitReached(ActionNotAllowed):
    code = "invoice-limit-reached"
    default_message = _("No more invoices can be issued for this case.")


class InvoiceTransitionNotAllowed(ActionNotAllowed):
    code = "invoice-transition-not-allowed"
    default_message = _("The invoice cannot move to this state now.")


class PaymentInvalid(Invalid):
    code = "payment-invalid"
    default_message = _("Enter a positive amount in euros with at most two decimals.")


class InvoiceNotPayable(ActionNotAllowed):
    code = "invoice-not-payable"
    default_message = _("This invoice is cancelled or refunded: it takes no payments.")


class PaymentConflict(ActionNotAllowed):
    """The same payment (source and identifier) was already recorded with another invoice or amount."""

    code = "payment-conflict"
    default_message = _("This payment was already recorded with a different invoice or amount.")


class PaymentNotFound(_NotFound):
    code = "payment-not-found"
    default_message = _("No such payment.")


class PaymentSessionNotFound(_NotFound):
    code = "payment-session-not-found"
    default_message = _("No such online payment.")


class PaymentSessionClosed(ActionNotAllowed):
    code = "payment-session-closed"
    default_message = _("This online payment has already ended or expired. Start a new one from the invoice.")


class PaymentNotificationInvalid(Invalid):
    """A gateway's notification whose signature, reference or amount does not match: nothing changes."""

    code = "payment-notification-invalid"
    default_message = _("The payment notification could not be verified.")


class NothingToPay(ActionNotAllowed):
    code = "invoice-nothing-to-pay"
    default_message = _("Nothing is left to pay on this invoice.")


# --- bank statements -------------------------------------------------------------------------------


class StatementRefused(Invalid):
    """The whole bank statement file is refused (nothing of it is stored); the message says why and
    goes on the form's `file` field."""

    code = "bank-statement-refused"
    default_message = _("The bank statement file was refused.")

    def __init__(self, message=None, **kwargs):
        text = message or self.default_message
        super().__init__({"file": [text]}, message=text, **kwargs)


class StatementNotXml(StatementRefused):
    code = "bank-statement-not-xml"
    default_message = _("The file is not well-formed XML.")


class StatementUnsafe(StatementRefused):
    """A DTD, an entity declaration or an external reference: never expanded, the file refused."""

    code = "bank-statement-unsafe"
    default_message = _("The file declares a DTD or entities, which are refused.")


class StatementUnknownFormat(StatementRefused):
    code = "bank-statement-unknown-format"
    default_message = _("The file is not a camt.053 or camt.054 message of versions 02 to 08.")


class StatementMalformed(StatementRefused):
    code = "bank-statement-malformed"
    default_message = _("The statement lacks an element it must have.")


class StatementAccountNotOurs(StatementRefused):
    """The statement is of an account that is not a payee's (or not the given payee's)."""

    code = "bank-statement-account"
    default_message = _("The statement is not of your agency's account.")


class BankStatementNotFound(_NotFound):
    code = "bank-statement-not-found"
    default_message = _("No such bank statement.")


class BankTransactionNotFound(_NotFound):
    code = "bank-transaction-not-found"
    default_message = _("No such bank transaction.")


class BankTransactionResolved(ActionNotAllowed):
    code = "bank-transaction-resolved"
    default_message = _("This bank transaction has already been dealt with.")


class BankTransactionNotAssignable(ActionNotAllowed):
    code = "bank-transaction-not-assignable"
    default_message = _("Only an unmatched credit in euros can be assigned to an invoice.")
