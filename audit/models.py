"""The append-only audit trail.

`audit` is the bottom layer: it imports no app of ours, so the actor and the principal are
kept as ids plus a readable label rather than foreign keys, and an event outlives what it names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class Reader(models.TextChoices):
    """Who read a subject's data, as kept in a read event's `data["reader"]`: the two lists of the
    person's "who looked at my data" page."""

    OFFICIAL = "official", _("Official")
    AGENCY_SYSTEM = "agency_system", _("Agency system")
    CLIENT = "client", _("The person or someone acting for them")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")

    def for_object(self, object_type: str, object_id) -> "AuditEventQuerySet":
        return self.filter(object_type=object_type, object_id=str(object_id))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    acting_for_type = models.CharField(_("acting for (type)"), max_length=100, blank=True)
    acting_for_id = models.CharField(_("acting for (id)"), max_length=64, blank=True, db_index=True)
    acting_for_label = models.CharField(_("acting for"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # whose data the event disclosed (set on reads: the person's "who looked at my data" page)
    subject_type = models.CharField(_("subject (type)"), max_length=100, blank=True, default="")
    subject_id = models.CharField(_("subject (id)"), max_length=64, blank=True, default="")
    # the agency the event concerns (its service, case or staff role): the agency's own audit log
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["subject_type", "subject_id", "at"], name="audit_subject_at_idx"),
            models.Index(fields=["agency_id", "at"], name="audit_agency_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")
