"""Writes of the e-account: parties, logins, staff roles."""

from datetime import date, datetime

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import audit.selectors as audit_selectors
import audit.services as audit
from catalogue.models import Agency, ServiceCentre
from kernel.identifiers import (
    birth_date_from_personal_code,
    normalise_personal_code,
    normalise_registration_number,
)

from .constants import (
    LOGIN_MEANS_ASSURANCE,
    SESSION_ASSURANCE_KEY,
    SESSION_LOGIN_MEANS_KEY,
    AssuranceLevel,
    LoginMeans,
    StaffRoleKind,
)
from .models import Organisation, Person, StaffRole, User


def person_create(
    *,
    personal_code: str,
    first_name: str,
    last_name: str,
    birth_date: date | None = None,
    municipality: Agency | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    has_eid: bool = True,
) -> Person:
    code = normalise_personal_code(personal_code)
    person = Person(
        personal_code=code,
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


def login_complete(*, request, user: User, level: str, means: str = "") -> None:
    """Log the user in with the assurance level the identity provider vouched for."""
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ASSURANCE_KEY] = AssuranceLevel(level).value
    request.session[SESSION_LOGIN_MEANS_KEY] = means
    audit.record(action="auth.login", actor=user, request=request, data={"level": level, "means": means})


def demo_login(*, request, person: Person, means: str) -> User:
    """Demo eID: log in as a demo person with the chosen means. The caller checked the person has a login."""
    user = person.user
    login_complete(request=request, user=user, level=LOGIN_MEANS_ASSURANCE[LoginMeans(means)], means=means)
    return user


def logout_here(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit.record(action="auth.logout", actor=user, request=request)
    django_logout(request)


def logout_everywhere(*, request) -> None:
    """End every session of this user, on every computer, this one included."""
    user = request.user
    if user.is_authenticated:
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        audit.record(action="auth.logout_everywhere", actor=user, request=request)
    django_logout(request)


@transaction.atomic
def staff_role_grant(
    *,
    granted_by: User | None,
    user: User,
    kind: str,
    agency: Agency | None = None,
    centre: ServiceCentre | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    request=None,
) -> StaffRole:
    role = StaffRole(
        user=user,
        kind=StaffRoleKind(kind),
        agency=agency,
        centre=centre,
        valid_until=valid_until,
        granted_by=granted_by,
    )
    if valid_from is not None:
        role.valid_from = valid_from
    role.full_clean()
    role.save()
    audit.record(
        action="role.grant",
        actor=granted_by,
        target=role,
        request=request,
        data={
            "user": user.pk,
            "kind": kind,
            "agency": agency.code if agency else None,
            "centre": centre.code if centre else None,
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return role


@transaction.atomic
def staff_role_revoke(
    *, revoked_by: User | None, role: StaffRole, reason: str = "", request=None
) -> StaffRole:
    locked = StaffRole.objects.select_for_update().get(pk=role.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            action="role.revoke",
            actor=revoked_by,
            target=locked,
            reason=reason,
            request=request,
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
