"""Reads of the e-account and the questions other apps ask about a user."""

import unicodedata
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from kernel.identifiers import normalise_personal_code, normalise_registration_number

from . import rules
from .constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from .models import Organisation, Person, StaffRole, User


def staff_roles_active(*, user: User) -> QuerySet[StaffRole]:
    if not user.is_authenticated:
        return StaffRole.objects.none()
    return StaffRole.objects.active().filter(user=user).select_related("agency", "centre")


ROLE_FACTS_SECONDS = 300


def _role_facts_key(user_id: int) -> str:
    return f"staff-role-facts:{user_id}"


def staff_role_facts(*, user: User) -> tuple[tuple[str, int | None, int | None], ...]:
    """(kind, agency_id, centre_id) of the user's active roles. Every page's navigation asks, and so
    do the permission checks: kept on the user object for the request and in the cache until the
    next start or end of one of the roles (at most ROLE_FACTS_SECONDS); a change of the user's
    roles forgets it (eaccount.apps connects the signals)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    facts = getattr(user, "_staff_role_facts", None)
    if facts is not None:
        return facts
    now = timezone.now()
    entry = cache.get(_role_facts_key(user.pk))
    if entry is not None and entry[0] > now:
        facts = entry[1]
    else:
        rows = list(
            StaffRole.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "kind", "agency_id", "centre_id", "valid_from", "valid_until"
            )
        )
        # as StaffRole.objects.active(): begun (valid_from <= now) and not ended (valid_until > now)
        facts = tuple(
            (kind, agency, centre)
            for kind, agency, centre, begins, ends in rows
            if begins <= now and (ends is None or ends > now)
        )
        changes = [moment for row in rows for moment in row[3:] if moment is not None and moment > now]
        good_until = min([now + timedelta(seconds=ROLE_FACTS_SECONDS), *changes])
        cache.set(_role_facts_key(user.pk), (good_until, facts), ROLE_FACTS_SECONDS)
    user._staff_role_facts = facts
    return facts


def staff_role_facts_forget(*, user_id: int, user: User | None = None) -> None:
    """After a change of the user's roles: the next question reads them again."""
    cache.delete(_role_facts_key(user_id))
    if user is not None:
        user.__dict__.pop("_staff_role_facts", None)


def user_is_platform_admin(*, user: User) -> bool:
    return any(kind == StaffRoleKind.PLATFORM_ADMIN for kind, _a, _c in staff_role_facts(user=user))


def agency_ids_for_user(*, user: User, kinds=AGENCY_ROLES) -> set[int]:
    """Agencies this user works for now (staff or admin unless `kinds` narrows it)."""
    return {agency for kind, agency, _c in staff_role_facts(user=user) if kind in kinds and agency}


def agency_ids_administered(*, user: User) -> set[int]:
    return agency_ids_for_user(user=user, kinds={StaffRoleKind.AGENCY_ADMIN})


def centre_ids_for_user(*, user: User) -> set[int]:
    return {
        centre
        for kind, _a, centre in staff_role_facts(user=user)
        if kind == StaffRoleKind.CENTRE_SPECIALIST and centre
    }


def centre_ids_administered(*, user: User) -> set[int]:
    return {
        centre
        for kind, _a, centre in staff_role_facts(user=user)
        if kind == StaffRoleKind.CENTRE_ADMIN and centre
    }


def staff_roles_manageable(*, user: User) -> QuerySet[StaffRole]:
    """The roles (of any time, revoked ones too) this user may see and revoke in the staff-role
    admin: all for a platform admin, else those of the agencies and centres they administer."""
    scope = rules.staff_role_grant_scope(user=user)
    if scope.any_role:
        return StaffRole.objects.all()
    return StaffRole.objects.filter(
        Q(kind__in=AGENCY_ROLES, agency_id__in=scope.agency_ids)
        | Q(kind__in=CENTRE_ROLES, centre_id__in=scope.centre_ids)
    )


def user_is_official(*, user: User) -> bool:
    """Any active staff role: agency, centre or platform."""
    return bool(staff_role_facts(user=user))


def demo_login_persons() -> QuerySet[Person]:
    return Person.objects.select_related("user").order_by("last_name", "first_name")


def persons_by_personal_code(*, personal_code: str) -> QuerySet[Person]:
    """The person whose current or previous code this is (at most one: codes are never shared).
    `personal_code` must be normalised already; see `person_get_by_personal_code`."""
    return Person.objects.filter(Q(personal_code=personal_code) | Q(previous_personal_code=personal_code))


def person_get_by_personal_code(*, personal_code: str) -> Person | None:
    """The person with this current or previous code, in any spelling; raises ValidationError for
    a code that is not valid."""
    return persons_by_personal_code(personal_code=normalise_personal_code(personal_code)).first()


def _name_key(name: str) -> str:
    """A name as compared with the register: composed Unicode (NFC), surrounding and repeated spaces
    dropped, case folded. Letters stay letters: "bērziņa" matches "Bērziņa", "Berzina" does not."""
    return " ".join(unicodedata.normalize("NFC", str(name or "")).split()).casefold()


def person_get_by_code_and_name(*, personal_code: str, first_name: str, last_name: str) -> Person | None:
    """The person with this (current or previous) code, if the first and last name given are theirs.

    None alike for a code that is not valid, a code nobody has, and a name that is not that person's:
    whoever asks learns nothing they did not already know (no name, nor whether a code is registered).
    """
    try:
        code = normalise_personal_code(personal_code)
    except ValidationError:
        return None
    person = persons_by_personal_code(personal_code=code).first()
    if person is None:
        return None
    given = (_name_key(first_name), _name_key(last_name))
    if not all(given) or given != (_name_key(person.first_name), _name_key(person.last_name)):
        return None
    return person


def organisation_get_by_registration_number(*, registration_number: str) -> Organisation | None:
    return Organisation.objects.filter(
        registration_number=normalise_registration_number(registration_number)
    ).first()
