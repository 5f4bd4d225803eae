"""Logins and staff roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ..constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from .parties import Person


class User(AbstractUser):
    """A login. Citizens and staff alike log in with eID; the user is tied to their Person."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    # Bumped by "log out everywhere": every session signed with the old value stops working.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.person.full_name if self.person_id else self.get_username()

    def _get_session_auth_hash(self, secret=None):
        key_salt = "eaccount.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class StaffRoleQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=at).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at)
        )


class StaffRole(models.Model):
    """An access right of a staff member (Reg. 401 Annex 2), fixed-term (`valid_until`) or explicitly
    `permanent` (and then without an end date): never without an end by accident."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    kind = models.CharField(_("role"), max_length=30, choices=StaffRoleKind.choices)
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
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    permanent = models.BooleanField(
        _("permanent"),
        default=False,
        help_text=_("A permanent role has no end date; any other role needs one."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["agency_staff", "agency_admin"],
                        agency__isnull=False,
                        centre__isnull=True,
                    )
                    | Q(
                        kind__in=["centre_specialist", "centre_admin"],
                        centre__isnull=False,
                        agency__isnull=True,
                    )
                    | Q(kind="platform_admin", agency__isnull=True, centre__isnull=True)
                ),
                name="staff_role_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="staff_role_period_is_positive",
            ),
            models.CheckConstraint(
                condition=Q(permanent=True, valid_until__isnull=True)
                | Q(permanent=False, valid_until__isnull=False),
                name="staff_role_term_or_permanent",
                violation_error_message=_("Give the end date of the role, or mark it as permanent."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.agency or self.centre or ""
        return f"{self.get_kind_display()} {scope}".strip()

    def clean(self):
        """The scope the kind needs, and a term or the permanent mark (one of the two)."""
        errors = {}
        if self.kind in StaffRoleKind.values:
            needs_agency = self.kind in AGENCY_ROLES
            needs_centre = self.kind in CENTRE_ROLES
            if needs_agency and self.agency_id is None:
                errors["agency"] = _("Choose the agency of this role.")
            if not needs_agency and self.agency_id is not None:
                errors["agency"] = _("This kind of role is not tied to an agency.")
            if needs_centre and self.centre_id is None:
                errors["centre"] = _("Choose the one-stop centre of this role.")
            if not needs_centre and self.centre_id is not None:
                errors["centre"] = _("This kind of role is not tied to a one-stop centre.")
        if self.permanent and self.valid_until is not None:
            errors["valid_until"] = _("A permanent role has no end date: clear it, or untick “permanent”.")
        elif not self.permanent and self.valid_until is None:
            errors["valid_until"] = _("Give the end date of the role, or mark it as permanent.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_permanent(self) -> bool:
        """Granted without an end date, on purpose (the database keeps `valid_until` empty then)."""
        return self.permanent
