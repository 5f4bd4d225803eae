"""The e-account's inbox: official messages and delivered documents."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .parties import Organisation, Person


def _inbox_upload_to(instance, filename: str) -> str:
    import os
    import uuid

    ext = os.path.splitext(filename or "")[1].lower()
    ext = ext if ext[1:].isalnum() and len(ext) <= 10 else ""
    return f"eaccount/documents/{uuid.uuid4().hex}{ext}"


class Message(models.Model):
    """An official message in a person's or organisation's e-account."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    # the agency that sent it (the sender shown); a person writing on an e-service is named in
    # sender_label with no agency
    sender_agency = models.ForeignKey(
        "catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_label = models.CharField(_("sender"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # the English text where the sender gave one: shown on English pages
    subject_en = models.CharField(_("subject (English)"), max_length=300, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    link_url = models.CharField(_("link"), max_length=300, blank=True)
    # the catalogue service it is about ("" = general); a delegate sees only the delegated services' ones
    service_code = models.CharField(_("service code"), max_length=6, blank=True)
    # the case it belongs to ("" = none): the messages of one case are its thread
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    source_key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "service_code", "-created_at"], name="eaccount_msg_person_svc_idx"
            ),
            models.Index(
                fields=["organisation", "service_code", "-created_at"], name="eaccount_msg_org_svc_idx"
            ),
            models.Index(
                fields=["case_number", "created_at"],
                condition=~Q(case_number=""),
                name="eaccount_msg_case_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="message_exactly_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="uniq_message_source_key"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_shown(self) -> str:
        return self.subject_en if self.subject_en and get_language() == "en" else self.subject

    @property
    def body_shown(self) -> str:
        return self.body_en if self.body_en and get_language() == "en" else self.body

    @property
    def sender_shown(self) -> str:
        """The agency's name in the page's language; the label where no agency sent it."""
        return self.sender_agency.name if self.sender_agency_id else self.sender_label


class Document(models.Model):
    """A document delivered to a person's or organisation's e-account (e.g. the result of a case)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    # the message it came with (none for a document on its own): shown as its attachment
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=_inbox_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    issuer_label = models.CharField(_("issued by"), max_length=200)
    link_url = models.CharField(_("link"), max_length=300, blank=True)
    # the catalogue service it is about ("" = general); a delegate sees only the delegated services' ones
    service_code = models.CharField(_("service code"), max_length=6, blank=True)
    source_key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "service_code", "-created_at"], name="eaccount_doc_person_svc_idx"
            ),
            models.Index(
                fields=["organisation", "service_code", "-created_at"], name="eaccount_doc_org_svc_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="document_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title
