"""Cases (requests), their status history and files, consultations and feedback."""

import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kernel.choices import ChoiceLabels

from ..constants import (
    FEEDBACK_MAX,
    FEEDBACK_MIN,
    Basis,
    CaseFileKind,
    CaseStatus,
    Channel,
    ConsultationOutcome,
)

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseSequence",
    "Consultation",
    "Feedback",
    "StatusChange",
    "case_file_upload_to",
]


def _safe_extension(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lower()
    return ext if ext[1:].isalnum() and len(ext) <= 10 else ""


def case_file_upload_to(instance, filename: str) -> str:
    """A random name under the case's folder; the client's file name never makes the path."""
    case = instance if isinstance(instance, Case) else instance.case
    return f"cases/{case.service_id}/{case.pk}/{uuid.uuid4().hex}{_safe_extension(filename)}"


class CaseSequence(models.Model):
    """The last number given to a case of one service; locked with SELECT … FOR UPDATE to take the next."""

    service = models.OneToOneField(
        "catalogue.Service", on_delete=models.PROTECT, related_name="case_sequence", primary_key=True
    )
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.last_value}"


class Case(ChoiceLabels, models.Model):
    """One request for one service, whatever the channel (pakalpojuma gadījums)."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    # the service's agency when the case was made (set on save): an agency's lists and change feed
    # read its own cases by index, never scanning a larger agency's
    agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    service_version = models.ForeignKey(
        "catalogue.ServiceVersion",
        verbose_name=_("service version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    client_person = models.ForeignKey(
        "eaccount.Person",
        verbose_name=_("client (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    client_organisation = models.ForeignKey(
        "eaccount.Organisation",
        verbose_name=_("client (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_cases",
    )
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices, default=Basis.SELF)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    centre = models.ForeignKey(
        "catalogue.ServiceCentre",
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    authorisation_reference = models.CharField(
        _("written authorisation reference"), max_length=100, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    data = models.JSONField(_("submitted data"), default=dict, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    result_document = models.FileField(
        _("result document"), upload_to=case_file_upload_to, null=True, blank=True, max_length=300
    )
    result_document_name = models.CharField(_("result document name"), max_length=255, blank=True)
    external_reference = models.CharField(_("external reference"), max_length=100, blank=True)
    # whom the case is about: the e-form's case-subject personal code (e.g. the child), else the
    # client's code or registration number; "one open case per subject" compares it
    subject_key = models.CharField(_("subject"), max_length=20, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(client_person__isnull=False, client_organisation__isnull=True)
                    | Q(client_person__isnull=True, client_organisation__isnull=False)
                ),
                name="case_exactly_one_client",
            ),
        ]
        indexes = [
            models.Index(fields=["client_person", "-created_at"], name="case_person_created"),
            models.Index(fields=["client_organisation", "-created_at"], name="case_org_created"),
            models.Index(fields=["service", "status"], name="case_service_status"),
            # the API's change feeds: by status or service, oldest change first (cursor pagination)
            models.Index(fields=["status", "updated_at", "id"], name="case_status_updated"),
            models.Index(fields=["service", "updated_at", "id"], name="case_service_updated"),
            # an agency's staff list and change feed, newest or oldest change first
            models.Index(fields=["agency", "updated_at", "id"], name="case_agency_updated"),
            # one open case per subject: the open cases of a service about one subject
            models.Index(
                fields=["service", "subject_key"],
                name="case_open_subject",
                condition=~Q(status__in=["completed", "rejected", "withdrawn"]) & ~Q(subject_key=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self.agency_id is None and self.service_id is not None:
            self.agency_id = self.service.agency_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("requests_registry:case-detail", kwargs={"number": self.number})

    @property
    def client(self):
        return self.client_person if self.client_person_id else self.client_organisation

    @property
    def client_label(self) -> str:
        return str(self.client) if self.client is not None else ""


class StatusChange(ChoiceLabels, models.Model):
    """One line of a case's history; the first row is the submission itself (from "" to submitted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    seq = models.PositiveIntegerField(_("sequence"))
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    system_label = models.CharField(_("system"), max_length=120, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    visible_to_client = models.BooleanField(_("visible to the client"), default=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_status_change_seq")]
        # the recent client-visible changes (services.case_notifications_missing)
        indexes = [
            models.Index(fields=["at"], name="status_change_visible_at", condition=Q(visible_to_client=True))
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.from_status}→{self.to_status}"

    @property
    def by_label(self) -> str:
        if self.system_label:
            return self.system_label
        return str(self.actor) if self.actor_id else ""


class CaseAttachment(models.Model):
    Kind = CaseFileKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    field_name = models.CharField(_("e-form field"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=case_file_upload_to, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    status_change = models.ForeignKey(
        StatusChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visible_to_client = models.BooleanField(_("visible to the client"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["case_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Consultation(models.Model):
    """A recorded act of informing (informācijas sniegšanas gadījums), identified or anonymous."""

    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    client_person = models.ForeignKey(
        "eaccount.Person",
        verbose_name=_("client (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    client_organisation = models.ForeignKey(
        "eaccount.Organisation",
        verbose_name=_("client (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    anonymous_phone = models.CharField(_("phone (anonymous client)"), max_length=30, blank=True)
    topic = models.CharField(_("topic"), max_length=300)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    consulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consulted by"),
        on_delete=models.PROTECT,
        related_name="consultations_given",
    )
    agency = models.ForeignKey(
        "catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ConsultationOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    # what the specialist answered from: a knowledge base article (and whether it answered the
    # question), the call script run that led the conversation
    article = models.ForeignKey(
        "knowledge_base.Article",
        verbose_name=_("article used"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article_useful = models.BooleanField(_("the article answered the question"), null=True, blank=True)
    script_run = models.OneToOneField(
        "knowledge_base.ScriptRun",
        verbose_name=_("call script run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(client_person__isnull=False, client_organisation__isnull=False),
                name="consultation_at_most_one_client",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="consultation_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.created_at:%Y-%m-%d})" if self.created_at else self.topic

    def get_absolute_url(self) -> str:
        return reverse("requests_registry:consultation-detail", kwargs={"pk": self.pk})

    @property
    def is_anonymous(self) -> bool:
        return not (self.client_person_id or self.client_organisation_id)

    @property
    def client(self):
        return self.client_person if self.client_person_id else self.client_organisation


class Feedback(models.Model):
    """A client's rating (1–5) of a completed case or of a consultation; once each."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(FEEDBACK_MIN), MaxValueValidator(FEEDBACK_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(case__isnull=False, consultation__isnull=True)
                    | Q(case__isnull=True, consultation__isnull=False)
                ),
                name="feedback_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=FEEDBACK_MIN, rating__lte=FEEDBACK_MAX), name="feedback_rating_range"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="uniq_feedback_per_case"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(consultation__isnull=False),
                name="uniq_feedback_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"
