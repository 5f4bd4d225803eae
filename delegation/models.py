"""Delegations: a principal (a person, or a company through its representative) lets an agent act
for them — for all delegable services or listed ones — for a period, until revoked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Delegation(models.Model):
    principal_person = models.ForeignKey(
        "eaccount.Person",
        verbose_name=_("principal (person)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    principal_organisation = models.ForeignKey(
        "eaccount.Organisation",
        verbose_name=_("principal (organisation)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    agent = models.ForeignKey(
        "eaccount.Person",
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    services = models.ManyToManyField(
        "catalogue.Service",
        verbose_name=_("services (none = every delegable service)"),
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_person__isnull=False, principal_organisation__isnull=True)
                | Q(principal_person__isnull=True, principal_organisation__isnull=False),
                name="delegation_exactly_one_principal",
            ),
            models.CheckConstraint(
                condition=~Q(principal_person=models.F("agent")), name="delegation_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="delegation_period_is_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal} → {self.agent}"

    @property
    def principal(self):
        return self.principal_person if self.principal_person_id else self.principal_organisation
