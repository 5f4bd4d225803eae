"""One Notification: one notice to one recipient on one channel, with its delivery state."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import NoticeChannel, NoticeKind, NotificationState


class Notification(models.Model):
    # the SMS gateway's and the receipts' handle: not guessable, unlike the id
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # the caller's key: the same key, recipient and channel is never recorded (so never sent) twice
    dedupe_key = models.CharField(_("dedupe key"), max_length=120)
    topic = models.CharField(_("topic"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    # whom the notice is about (kernel.parties.party_key), and who is told (the party itself, a legal
    # representative, or a delegate of the service)
    party_key = models.CharField(max_length=40)
    recipient_key = models.CharField(max_length=40)
    recipient_person = models.ForeignKey(
        "eaccount.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient_organisation = models.ForeignKey(
        "eaccount.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    basis = models.CharField(max_length=30)  # kernel.constants.Basis
    language = models.CharField(max_length=2)
    to = models.CharField(_("to"), max_length=254, blank=True)  # the address or phone number used
    service_code = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey(
        "catalogue.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_label = models.CharField(max_length=200, blank=True)
    link_url = models.CharField(max_length=500, blank=True)
    # what is sent (the SMS text in `body` for an SMS); cleared after NOTIFICATIONS_RETENTION_DAYS
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    context = models.JSONField(default=dict, blank=True)  # the topic's context, for a fallback e-mail
    state = models.CharField(
        _("state"), max_length=20, choices=NotificationState.choices, default=NotificationState.CREATED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # when beat hands it to a worker (again): a retry's time, the morning after quiet hours, or the
    # moment a task the broker lost is given up for
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    fallback_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallbacks"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "recipient_key", "channel"], name="notification_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(recipient_person__isnull=False, recipient_organisation__isnull=True)
                | Q(recipient_person__isnull=True, recipient_organisation__isnull=False),
                name="notification_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient_key", "-created_at", "-id"], name="notification_recipient"),
            models.Index(fields=["state", "delivered_at"], name="notification_delivered"),
            # the agency admin's week (notification_stats_for_agencies)
            models.Index(fields=["agency", "created_at"], name="notification_agency_week"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.recipient_key} ({self.channel}, {self.state})"

    @property
    def recipient(self):
        return self.recipient_person if self.recipient_person_id else self.recipient_organisation


# --- proactive reminders and offers (issue 12, item 5; concept 4.4.2.8) ------------------------------


class ProactiveRuleKind(models.TextChoices):
    DOCUMENT_EXPIRY = "document_expiry", _("Days before a document expires")
    LIFE_EVENT = "life_event", _("After a life event")


class ProactiveLifeEvent(models.TextChoices):
    """The life events the register data tells us of (codes of the catalogue's life events)."""

    CHILD_BIRTH = "child_birth", _("Birth of a child")
    COMPANY_LIQUIDATION_STARTED = "company_liquidation_started", _("Company liquidation started")


class ProactiveRule(models.Model):
    """An agency admin's rule for one of the agency's services (data, not code): remind N days before
    a document of a kind expires, or offer the service within N days after a life event. Only people
    who opted in are told (the scan selects them), each once per rule and occasion (ProactiveSent)."""

    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of rule"), max_length=20, choices=ProactiveRuleKind.choices)
    # document_expiry: the kind of document (eaccount's RegisterDocumentKind) and the days before
    document_kind = models.CharField(_("kind of document"), max_length=20, blank=True)
    days_before = models.JSONField(_("days before expiry"), default=list, blank=True)
    # life_event: which event, and for how many days after it the offer is made
    life_event = models.CharField(
        _("life event"), max_length=60, blank=True, choices=ProactiveLifeEvent.choices
    )
    within_days = models.PositiveSmallIntegerField(_("days after the event"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["service__code", "pk"]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.get_kind_display()}"


class ProactiveSent(models.Model):
    """One occasion of one rule for one party, claimed by the scan (INSERT … ON CONFLICT DO NOTHING:
    never twice) and notified afterwards (`notified_at`; the notice's dedupe key also names it).
    `occasion_ref`: the document, the child or the liquidation; `occasion_step`: the days before
    expiry of a reminder (0 for an offer)."""

    rule = models.ForeignKey(ProactiveRule, on_delete=models.CASCADE, related_name="sent")
    person = models.ForeignKey(
        "eaccount.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "eaccount.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    occasion_ref = models.BigIntegerField()
    occasion_step = models.PositiveSmallIntegerField(default=0)
    event_date = models.DateField()  # the expiry date, the birth date, the liquidation's start
    created_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proactive notice sent")
        verbose_name_plural = _("proactive notices sent")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="proactive_sent_one_party",
            ),
            models.UniqueConstraint(
                fields=["rule", "person", "occasion_ref", "occasion_step"],
                condition=Q(person__isnull=False),
                name="proactive_sent_once_person",
            ),
            models.UniqueConstraint(
                fields=["rule", "organisation", "occasion_ref", "occasion_step"],
                condition=Q(organisation__isnull=False),
                name="proactive_sent_once_organisation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="proactive_sent_pending",
                condition=Q(notified_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"rule {self.rule_id}: {self.person_id or self.organisation_id} ({self.occasion_ref})"

    @property
    def party(self):
        return self.person if self.person_id else self.organisation
