from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kernel.constants import PartyKind
from kernel.identifiers import validate_personal_code, validate_registration_number

from .constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind

# A personal code is never shared, across both columns (Reg. 401 Annex 1 3.15: a person has a
# current and possibly a previous code): the messages of the three ways it could be.
PERSON_CODE_IS_OWN_CURRENT = _("The previous personal code must differ from the current one.")
PERSON_CODE_IS_ANOTHERS_PREVIOUS = _("This personal code is another person's previous personal code.")
PERSON_CODE_IS_ANOTHERS_CURRENT = _("This personal code is another person's current personal code.")


class Person(models.Model):
    """A natural person. Many never log in: a child, a client without eID.

    Since 2017 a person may have a new-format code (`32…`) and keep their old one as
    `previous_personal_code`; the person is found by either, and no code belongs to two persons in
    any column (checked by `validate_unique`, and by the database: see migration 0003).
    """

    party_kind = PartyKind.PERSON  # kernel.parties: what kind of party this model is

    personal_code = models.CharField(
        _("personal code"),
        max_length=12,
        unique=True,
        validators=[validate_personal_code],
        error_messages={"unique": _("A person with this personal code already exists.")},
    )
    # NULL, not "", when there is none: the column is unique.
    previous_personal_code = models.CharField(
        _("previous personal code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_personal_code],
        help_text=_(
            "The code the person had before the current one (e.g. before a new-format code), if any."
        ),
        error_messages={"unique": _("Another person already has this previous personal code.")},
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    municipality = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "municipality"},
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    has_eid = models.BooleanField(_("has an eID means"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_personal_code__isnull=True)
                | ~Q(previous_personal_code=models.F("personal_code")),
                name="person_previous_code_differs",
                violation_error_message=PERSON_CODE_IS_OWN_CURRENT,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def validate_unique(self, exclude=None):
        """The columns' own uniqueness, and then across them: this person's current code is nobody's
        previous one, and their previous code is nobody's current one (nor their own)."""
        errors: dict = {}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for fields, message in self.code_conflicts():
            field = next((name for name in fields if name not in skip), None)
            if field is not None:
                errors.setdefault(field, []).append(ValidationError(message, code="personal_code_taken"))
        if errors:
            raise ValidationError(errors)

    def code_conflicts(self) -> list[tuple[tuple[str, ...], str]]:
        """Each way this person's codes clash with their own or another person's: the fields to say it
        on (the first one a form has) and the message."""
        current, previous = self.personal_code, self.previous_personal_code
        others = (
            type(self)._default_manager.exclude(pk=self.pk) if self.pk else type(self)._default_manager.all()
        )
        conflicts = []
        if previous and previous == current:
            conflicts.append((("previous_personal_code", "personal_code"), PERSON_CODE_IS_OWN_CURRENT))
        if current and others.filter(previous_personal_code=current).exists():
            conflicts.append((("personal_code",), PERSON_CODE_IS_ANOTHERS_PREVIOUS))
        if previous and others.filter(personal_code=previous).exists():
            conflicts.append((("previous_personal_code",), PERSON_CODE_IS_ANOTHERS_CURRENT))
        return conflicts

    @property
    def personal_codes(self) -> list[str]:
        """The current code, then the previous one if there is one."""
        return [code for code in (self.personal_code, self.previous_personal_code) if code]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_minor(self) -> bool:
        if self.birth_date is None:
            return False
        today = timezone.localdate()
        years = today.year - self.birth_date.year
        if (today.month, today.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years < 18


class Organisation(models.Model):
    party_kind = PartyKind.ORGANISATION  # kernel.parties

    registration_number = models.CharField(
        _("registration number"),
        max_length=11,
        unique=True,
        validators=[validate_registration_number],
        error_messages={"unique": _("An organisation with this registration number already exists.")},
    )
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ParentChild(models.Model):
    """Register data: a parent is the legal representative of their minor child."""

    parent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="parent_links")

    class Meta:
        verbose_name = _("parent and child")
        verbose_name_plural = _("parents and children")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="uniq_parent_child"),
            models.CheckConstraint(condition=~Q(parent=models.F("child")), name="parent_is_not_child"),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class BoardMembership(models.Model):
    """Register data: a board member represents the company."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="board_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="board_memberships")
    position = models.CharField(_("position"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("board membership")
        verbose_name_plural = _("board memberships")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="uniq_board_member")]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


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


# --- the e-account's inbox: official messages and delivered documents (added by the request registry) ---


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
