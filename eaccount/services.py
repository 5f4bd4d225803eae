"""Writes of the e-account: parties, logins, staff roles."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import audit.selectors as audit_selectors
import audit.services as audit
from kernel.actors import Actor
from kernel.errors import Invalid
from kernel.identifiers import (
    birth_date_from_personal_code,
    normalise_personal_code,
    normalise_registration_number,
)

from . import rules, selectors
from .constants import (
    ADMIN_ROLES,
)
from .exceptions import StaffRoleGrantNotAllowed, StaffRoleRevokeNotAllowed
from .models import Organisation, Person, StaffRole, User
from .selectors import organisation_get_by_registration_number, person_get_by_personal_code

if TYPE_CHECKING:
    from catalogue.models import Agency, ServiceCentre


def person_create(
    *,
    personal_code: str,
    first_name: str,
    last_name: str,
    previous_personal_code: str | None = None,
    birth_date: date | None = None,
    municipality: Agency | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    has_eid: bool = True,
) -> Person:
    """A person with their current and, if any, previous personal code (both normalised, neither
    anybody else's in either column). Raises ValidationError; on PostgreSQL a concurrent duplicate
    is refused by the database (IntegrityError)."""
    code = normalise_personal_code(personal_code)
    previous = normalise_personal_code(previous_personal_code) if previous_personal_code else None
    person = Person(
        personal_code=code,
        previous_personal_code=previous,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date or birth_date_from_personal_code(code),
        municipality=municipality,
        email=email,
        phone=phone,
        address=address,
        has_eid=has_eid,
    )
    person.full_clean()
    person.save()
    return person


_PERSON_CODE_FIELDS = ("personal_code", "previous_personal_code")


@transaction.atomic
def person_change_personal_code(*, actor: Actor, person: Person, personal_code: str) -> Person:
    """The person got a new personal code (e.g. a new-format `32…` one): it becomes the current code
    and the old one the previous code. Raises Invalid (on `personal_code`) when the new code is not
    valid, is the person's own, or is another person's current or previous code."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    try:
        code = normalise_personal_code(personal_code)
    except ValidationError as error:
        raise Invalid(field_errors={"personal_code": error.messages}) from None
    if code == locked.personal_code:
        raise Invalid(
            field_errors={"personal_code": [_("This is the person's current personal code already.")]}
        )
    old_code = locked.personal_code
    locked.personal_code, locked.previous_personal_code = code, old_code
    try:
        locked.full_clean(exclude=[f.name for f in Person._meta.fields if f.name not in _PERSON_CODE_FIELDS])
    except ValidationError as error:  # the old code was valid and unshared: the new one is at fault
        field_errors = {"personal_code": [m for messages in error.message_dict.values() for m in messages]}
        raise Invalid(field_errors=field_errors) from None
    locked.save(update_fields=["personal_code", "previous_personal_code"])
    audit.record(
        action="person.personal_code_change",
        actor=actor,
        target=locked,
        data={"personal_code": code, "previous_personal_code": old_code},
    )
    return locked


def organisation_create(
    *, registration_number: str, name: str, address: str = "", email: str = ""
) -> Organisation:
    organisation = Organisation(
        registration_number=normalise_registration_number(registration_number),
        name=name,
        address=address,
        email=email,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def party_find_or_create(
    *,
    personal_code: str = "",
    first_name: str = "",
    last_name: str = "",
    registration_number: str = "",
    name: str = "",
) -> Person | Organisation:
    """The Person (by current or previous personal code) or Organisation (by registration number)
    another system names, created from the given names when the register does not know them yet
    (a person so created has no eID login). Raises ValidationError on the key "client"."""
    try:
        code = normalise_personal_code(personal_code) if personal_code else ""
        number = normalise_registration_number(registration_number) if not personal_code else ""
    except ValidationError as exc:
        raise ValidationError({"client": exc.messages}) from None
    if code:
        person = person_get_by_personal_code(personal_code=code)
        if person is not None:
            return person
        if not (first_name and last_name):
            raise ValidationError(
                {"client": [_("This person is not known yet: give first_name and last_name too.")]}
            )
        try:
            with transaction.atomic():
                return person_create(
                    personal_code=code, first_name=first_name, last_name=last_name, has_eid=False
                )
        except IntegrityError:  # created by a concurrent request
            return person_get_by_personal_code(personal_code=code)
    organisation = organisation_get_by_registration_number(registration_number=number)
    if organisation is not None:
        return organisation
    if not name:
        raise ValidationError({"client": [_("This organisation is not known yet: give its name too.")]})
    try:
        with transaction.atomic():
            return organisation_create(registration_number=number, name=name)
    except IntegrityError:
        return organisation_get_by_registration_number(registration_number=number)


def user_create_for_person(*, person: Person, is_staff: bool = False) -> User:
    """A login for a person who has an eID; there is no password, identity comes from eID."""
    user = User(
        username=person.personal_code,
        person=person,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        is_staff=is_staff,
    )
    user.set_unusable_password()
    user.save()
    return user


def _lock_roles(*, actor: Actor, role_pk: int | None = None) -> None:
    """Lock the acting user's admin roles, on which the decision rests (a concurrent revocation of
    them waits, and is then checked afresh), and the role being changed; in one statement, in the
    order of their ids, so that two admins revoking each other's roles do not deadlock."""
    wanted = Q(pk=role_pk) if role_pk is not None else Q(pk__in=[])
    if actor.user_or_none is not None:
        wanted |= Q(user=actor.user_or_none, kind__in=ADMIN_ROLES)
    list(StaffRole.objects.select_for_update().filter(wanted).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def staff_role_grant(
    *,
    actor: Actor,
    user: User,
    kind: str,
    agency: Agency | None = None,
    centre: ServiceCentre | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    permanent: bool = False,
) -> StaffRole:
    """`actor.user` grants `user` a role of `kind` (Reg. 401 Annex 2): until `valid_until`, or
    `permanent` (one of the two). Raises StaffRoleGrantNotAllowed (403) unless
    `rules.staff_role_grant_allowed`, and Invalid (422) for a scope that does not fit the kind or a
    grant with neither a term nor the permanent mark."""
    _lock_roles(actor=actor)
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    if not rules.staff_role_grant_allowed(
        granter=actor.user_or_none,
        kind=kind,
        agency_id=agency.pk if agency else None,
        centre_id=centre.pk if centre else None,
    ):
        raise StaffRoleGrantNotAllowed(kind=str(kind))
    role = StaffRole(
        user=user,
        kind=kind,
        agency=agency,
        centre=centre,
        valid_until=valid_until,
        permanent=permanent,
        granted_by=actor.user_or_none,
    )
    if valid_from is not None:
        role.valid_from = valid_from
    try:
        role.full_clean()
    except ValidationError as error:
        raise Invalid(field_errors=error.message_dict) from None
    role.save()
    selectors.staff_role_facts_forget(user_id=user.pk, user=user)
    audit.record(
        action="role.grant",
        actor=actor,
        target=role,
        data={
            "user": user.pk,
            "kind": str(kind),
            "agency": agency.code if agency else None,
            "centre": centre.code if centre else None,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "permanent": permanent,
        },
    )
    return role


@transaction.atomic
def staff_role_revoke(*, actor: Actor, role: StaffRole, reason: str = "") -> StaffRole:
    """`actor.user` revokes a role; revoking it again changes nothing. Raises
    StaffRoleRevokeNotAllowed (403) unless `rules.staff_role_revoke_allowed`."""
    _lock_roles(actor=actor, role_pk=role.pk)
    locked = StaffRole.objects.get(pk=role.pk)
    if not rules.staff_role_revoke_allowed(revoker=actor.user_or_none, role=locked):
        raise StaffRoleRevokeNotAllowed(kind=locked.kind)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        user_field = StaffRole._meta.get_field("user")
        selectors.staff_role_facts_forget(
            user_id=locked.user_id, user=role.user if user_field.is_cached(role) else None
        )
        audit.record(
            action="role.revoke",
            actor=actor,
            target=locked,
            reason=reason,
            data={"user": locked.user_id, "kind": locked.kind},
        )
    return locked


@transaction.atomic
def staff_roles_record_expired(*, now: datetime | None = None) -> int:
    """Record one "role.expire" event for each fixed-term role whose period has ended.

    Safe to run again and from two workers at once: the roles are locked, and a role that already
    has its event is skipped. A role revoked before its end was revoked, not expired.
    """
    now = now or timezone.now()
    expired = list(
        StaffRole.objects.select_for_update(of=("self",))
        .filter(valid_until__isnull=False, valid_until__lte=now)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("valid_until")))
        .select_related("user", "agency", "centre")
        .order_by("pk")
    )
    if not expired:
        return 0
    done = audit_selectors.object_ids_with_action(
        action="role.expire",
        object_type=StaffRole._meta.label_lower,
        object_ids=[role.pk for role in expired],
    )
    recorded = 0
    for role in expired:
        if str(role.pk) in done:
            continue
        audit.record(
            action="role.expire",
            actor=None,
            target=role,
            data={
                "user": role.user_id,
                "kind": role.kind,
                "agency": role.agency.code if role.agency else None,
                "centre": role.centre.code if role.centre else None,
                "valid_until": role.valid_until.isoformat(),
            },
        )
        recorded += 1
    return recorded
