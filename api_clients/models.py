"""Back-office systems that use the case API, and the idempotency keys of their writes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A back-office system of one agency. It authenticates with `Authorization: Bearer <key>`.

    The key is `<prefix>.<secret>`: the prefix is public and finds the row, only the SHA-256 of
    the secret is stored (the secret is 256 random bits, so a plain hash is enough).
    """

    agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "eaccount.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "requests_registry_apiclient"  # kept from when the case API owned it
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix})"

    @property
    def system_label(self) -> str:
        """How the client's writes appear in a case's history and the audit trail."""
        return f"API: {self.name} ({self.agency.code})"


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` of one client (IETF httpapi idempotency-key draft).

    Inserted and committed first (state in_progress), the work runs in its own transaction, then
    the answer is stored (state done) and replayed to every retry with the same key and request.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    locked_at = models.DateTimeField(_("locked at"))
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    response_headers = models.JSONField(_("response headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        db_table = "requests_registry_idempotencyrecord"
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="uniq_idempotency_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key} ({self.state})"
