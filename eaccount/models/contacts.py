"""Contact details and notice choices of a party (a person or an organisation).

The confirmed e-mail address and the phone stay on the party (`Person.email`, `Person.phone`,
`Organisation.email`, `Organisation.phone`), so whatever sends to `party.email` sends to a confirmed
address. A new address waits here (`PendingEmail`) until its link is opened; the notice choices are
`NoticePreference` rows, one per party and kind that someone chose for (no row: the defaults,
`constants.NOTICE_DEFAULT_CHANNELS`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import NoticeKind
from .parties import Organisation, Person

_EXACTLY_ONE_PARTY = Q(person__isnull=False, organisation__isnull=True) | Q(
    person__isnull=True, organisation__isnull=False
)


class PendingEmail(models.Model):
    """A new e-mail address waiting for its confirmation link: at most one per party (a new request
    replaces it, its link stops working). Only the SHA-256 of the link's random token is kept;
    confirming deletes the row, so a link works once."""

    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="pending_email"
    )
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="pending_email"
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("e-mail address to confirm")
        verbose_name_plural = _("e-mail addresses to confirm")
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_PARTY, name="pending_email_exactly_one_party"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def party(self):
        return self.person if self.person_id else self.organisation


class NoticePreference(models.Model):
    """The channels a party chose for one kind of notice. The e-account always gets every notice
    (not stored); `email` and `sms` are the choice. Whether they can be used now (a confirmed
    e-mail, a mobile phone) is asked when reading: `selectors.notice_channels`."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind of notice"), max_length=20, choices=NoticeKind.choices)
    email = models.BooleanField(_("by e-mail"), default=False)
    sms = models.BooleanField(_("by SMS"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice choice")
        verbose_name_plural = _("notice choices")
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_PARTY, name="notice_pref_exactly_one_party"),
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(person__isnull=False), name="uniq_notice_pref_person"
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(organisation__isnull=False),
                name="uniq_notice_pref_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} — {self.get_kind_display()}"

    @property
    def party(self):
        return self.person if self.person_id else self.organisation
