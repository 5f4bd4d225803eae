"""Annex 2 requests to the ministry (the platform admin) for admin-level access rights."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eaccount.constants import StaffRoleKind

from .constants import AccessRequestAction, AccessRequestStatus


def _document_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"access_requests/{uuid.uuid4().hex}.{suffix}"


class AccessRequest(models.Model):
    """An agency's, a municipality's or a centre's request, signed by its authorised person, to grant
    or revoke admin-level rights of named employees (Reg. 401 point 22, Annex 2)."""

    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre",
        verbose_name=_("one-stop centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    document = models.FileField(_("signed request"), upload_to=_document_path, max_length=200)
    document_name = models.CharField(_("file name"), max_length=200)
    document_kind = models.CharField(_("document kind"), max_length=10)
    document_sha256 = models.CharField(max_length=64)
    document_signatures = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("access rights request")
        verbose_name_plural = _("access rights requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="access_request_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, centre__isnull=True)
                | Q(agency__isnull=True, centre__isnull=False),
                name="access_request_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PT-{self.pk:06d}" if self.pk else "PT-"

    @property
    def scope(self):
        return self.agency or self.centre


class AccessRequestEntry(models.Model):
    """One employee named in a request: who, how to reach them, which right, for how long."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="entries")
    action = models.CharField(_("action"), max_length=10, choices=AccessRequestAction.choices)
    kind = models.CharField(_("role"), max_length=30, choices=StaffRoleKind.choices)
    person = models.ForeignKey(
        "eaccount.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    permanent = models.BooleanField(_("permanent"), default=False)
    # the role granted (or revoked) when the request was approved: the register's "on which request"
    role = models.ForeignKey(
        "eaccount.StaffRole",
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_request_entries",
    )

    class Meta:
        verbose_name = _("employee in a request")
        verbose_name_plural = _("employees in a request")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="revoke")
                | Q(permanent=True, valid_until__isnull=True)
                | Q(permanent=False, valid_until__isnull=False),
                name="access_request_entry_term_or_permanent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_kind_display()}: {self.person}"
