"""Errors the payments' services and selectors raise: the kernel's DomainError vocabulary."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed
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
