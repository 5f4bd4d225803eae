"""The e-account's inbox: official messages and delivered documents."""

from django.db import models
from django.db.models import Q
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
    sender_label = models.CharField(_("sender"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link_url = models.CharField(_("link"), max_length=300, blank=True)
    # the catalogue service it is about ("" = general); a delegate sees only the delegated services' ones
    service_code = models.CharField(_("service code"), max_length=6, blank=True)
    source_key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

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


class Document(models.Model):
    """A document delivered to a person's or organisation's e-account (e.g. the result of a case)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
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
