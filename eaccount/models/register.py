"""Register data the proactive notices read (demo data here; the Population and Enterprise Registers in
production): identity documents with their expiry dates, and the start of a company's liquidation.
A child's birth is already register data: the child's `Person.birth_date` and its `ParentChild` links."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .parties import Organisation, Person


class RegisterDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    ID_CARD = "id_card", _("identity card")


class RegisterDocument(models.Model):
    """A person's identity document as the register shows it. A renewed document is a new row."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="register_documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=RegisterDocumentKind.choices)
    number = models.CharField(_("document number"), max_length=20, unique=True)
    expires_on = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        # the reminder scan: one kind's documents expiring in a date range
        indexes = [models.Index(fields=["kind", "expires_on"], name="register_doc_kind_expires")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class OrganisationLiquidation(models.Model):
    """The Enterprise Register's record that a company's liquidation was started."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="liquidation")
    started_on = models.DateField(_("liquidation started on"), db_index=True)

    class Meta:
        verbose_name = _("liquidation")
        verbose_name_plural = _("liquidations")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.started_on})"
