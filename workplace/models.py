"""A visit (serving one client, in person or on the phone), the authorised e-service filed in it under a
written authorisation, hand-overs between people and queues, and escalations to supervisors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import (
    EscalationReason,
    FilingStep,
    HandoverState,
    HandoverTarget,
    IdentityCheck,
    IdentityDocument,
    ResultNotice,
    VisitChannel,
)


def _party_check(prefix: str = "client") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{prefix}_person__isnull": False, f"{prefix}_organisation__isnull": True})
        | Q(**{f"{prefix}_person__isnull": True, f"{prefix}_organisation__isnull": False}),
        name="%(app_label)s_%(class)s_one_client",
    )


class Visit(models.Model):
    """A specialist serving one client (a person, or an organisation through a person present), from
    the identity check to the end. Every action in it names it."""

    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("specialist"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=VisitChannel.choices)
    client_person = models.ForeignKey(
        "eaccount.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_organisation = models.ForeignKey(
        "eaccount.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_check = models.CharField(_("identity checked by"), max_length=20, choices=IdentityCheck.choices)
    identity_document = models.CharField(
        _("identity document"), max_length=20, choices=IdentityDocument.choices, blank=True
    )
    identity_document_number = models.CharField(_("document number"), max_length=30, blank=True)
    identity_note = models.CharField(_("note on the identity check"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("client visit")
        verbose_name_plural = _("client visits")
        constraints = [_party_check()]
        indexes = [models.Index(fields=["specialist", "-started_at"], name="visit_specialist_started")]

    def __str__(self) -> str:
        return f"{self.client} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("workplace:visit", args=[self.pk])

    @property
    def client(self):
        return self.client_person or self.client_organisation

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


def scan_upload_to(instance, filename: str) -> str:
    return f"workplace/authorisations/{uuid.uuid4().hex}.pdf"


class AuthorisedFiling(models.Model):
    """Reg. 401 point 22.1: one authorised e-service, its written authorisation and each duty's step.

    `step` is the next step to do; a step's timestamp is set once, when it is done. The authorisation's
    `number` is the case's authorisation reference."""

    number = models.CharField(_("authorisation number"), max_length=30, unique=True)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="filings")
    client_person = models.ForeignKey(
        "eaccount.Person", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("specialist"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    step = models.PositiveSmallIntegerField(
        _("next step"), choices=FilingStep.choices, default=FilingStep.SPECIALIST
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"))
    specialist_assurance = models.CharField(_("specialist's level of assurance"), max_length=20, blank=True)
    specialist_identified_at = models.DateTimeField(_("specialist identified at"), null=True, blank=True)
    authorisation_printed_at = models.DateTimeField(_("authorisation printed at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_scan = models.FileField(
        _("signed copy (scan)"), upload_to=scan_upload_to, blank=True, max_length=300
    )
    form_data = models.JSONField(_("entered data"), default=dict, blank=True)
    form_entered_at = models.DateTimeField(_("data entered at"), null=True, blank=True)
    case = models.OneToOneField(
        "requests_registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    planned_told_at = models.DateTimeField(_("planned date told at"), null=True, blank=True)
    result_notice = models.CharField(
        _("result notice"), max_length=10, choices=ResultNotice.choices, blank=True
    )
    result_notice_address = models.CharField(_("address for the result"), max_length=300, blank=True)
    result_notice_chosen_at = models.DateTimeField(_("result notice chosen at"), null=True, blank=True)
    result_told_at = models.DateTimeField(_("result told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authorised e-service")
        verbose_name_plural = _("authorised e-services")
        indexes = [models.Index(fields=["client_person", "-created_at"], name="filing_client_created")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("workplace:filing", args=[self.pk])


class Handover(models.Model):
    """A case, a visit's follow-up or a consultation passed to a colleague, a centre or an agency's
    queue, with a note; the receiver accepts it."""

    case = models.ForeignKey(
        "requests_registry.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    consultation = models.ForeignKey(
        "requests_registry.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="handovers"
    )
    target = models.CharField(_("to"), max_length=20, choices=HandoverTarget.choices)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_centre = models.ForeignKey(
        "catalogue.ServiceCentre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=HandoverState.choices, default=HandoverState.WAITING
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, consultation__isnull=True, visit__isnull=True)
                | Q(case__isnull=True, consultation__isnull=False, visit__isnull=True)
                | Q(case__isnull=True, consultation__isnull=True, visit__isnull=False),
                name="handover_one_item",
            ),
            models.CheckConstraint(
                condition=Q(to_user__isnull=False) | Q(to_centre__isnull=False) | Q(to_agency__isnull=False),
                name="handover_has_receiver",
            ),
        ]
        indexes = [
            models.Index(fields=["to_user", "state"], name="handover_user_state"),
            models.Index(fields=["to_centre", "state"], name="handover_centre_state"),
            models.Index(fields=["to_agency", "state"], name="handover_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} · {self.created_at:%Y-%m-%d}"


class Escalation(models.Model):
    """A late case (once per case and planned date) or an unresolved consultation (once), raised to the
    supervisors of the agency and, when it came through a centre, of the centre."""

    reason = models.CharField(_("reason"), max_length=20, choices=EscalationReason.choices)
    case = models.ForeignKey(
        "requests_registry.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    consultation = models.ForeignKey(
        "requests_registry.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    agency = models.ForeignKey(
        "catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("escalated at"))
    resolved_at = models.DateTimeField(_("reassigned at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reassigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline"],
                condition=Q(case__isnull=False),
                name="escalation_once_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(consultation__isnull=False),
                name="escalation_once_per_consultation",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "resolved_at", "-created_at"], name="escalation_agency_open"),
            models.Index(fields=["centre", "resolved_at", "-created_at"], name="escalation_centre_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.created_at:%Y-%m-%d}"
