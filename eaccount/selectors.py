"""Reads of the e-account and the questions other apps ask about a user."""

from django.db.models import QuerySet

from kernel.identifiers import normalise_personal_code

from .constants import AGENCY_ROLES, StaffRoleKind
from .models import Person, StaffRole, User


def staff_roles_active(*, user: User) -> QuerySet[StaffRole]:
    if not user.is_authenticated:
        return StaffRole.objects.none()
    return StaffRole.objects.active().filter(user=user).select_related("agency", "centre")


def user_is_platform_admin(*, user: User) -> bool:
    return staff_roles_active(user=user).filter(kind=StaffRoleKind.PLATFORM_ADMIN).exists()


def agency_ids_for_user(*, user: User, kinds=AGENCY_ROLES) -> set[int]:
    """Agencies this user works for now (staff or admin unless `kinds` narrows it)."""
    return set(staff_roles_active(user=user).filter(kind__in=kinds).values_list("agency_id", flat=True))


def agency_ids_administered(*, user: User) -> set[int]:
    return agency_ids_for_user(user=user, kinds={StaffRoleKind.AGENCY_ADMIN})


def centre_ids_for_user(*, user: User) -> set[int]:
    return set(
        staff_roles_active(user=user)
        .filter(kind=StaffRoleKind.CENTRE_SPECIALIST)
        .values_list("centre_id", flat=True)
    )


def user_is_official(*, user: User) -> bool:
    """Any active staff role: agency, centre or platform."""
    return staff_roles_active(user=user).exists()


def demo_login_persons() -> QuerySet[Person]:
    return Person.objects.select_related("user").order_by("last_name", "first_name")


def person_get_by_personal_code(*, personal_code: str) -> Person | None:
    return Person.objects.filter(personal_code=normalise_personal_code(personal_code)).first()
