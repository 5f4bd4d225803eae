"""Parties and register data: persons (current and previous personal codes), organisations, parents and
children, board members."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.constants import PartyKind
from kernel.identifiers import validate_personal_code, validate_registration_number

from ..constants import PreferredLanguage
from ..contacts import validate_phone

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
    # the confirmed address (a new one waits in PendingEmail until its link is opened)
    email = models.EmailField(_("e-mail"), blank=True)
    # in international form (E.164, e.g. +37121234567): eaccount.contacts.normalise_phone
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=300, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=PreferredLanguage.choices,
        default=PreferredLanguage.LV,
        help_text=_("The language of notices and messages."),
    )
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
    # the confirmed address (a new one waits in PendingEmail until its link is opened)
    email = models.EmailField(_("e-mail"), blank=True)
    # in international form (E.164): eaccount.contacts.normalise_phone
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])

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
