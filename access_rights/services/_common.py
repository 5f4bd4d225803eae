"""What the access-rights services share: the refusal on record, the term as a moment, the notices."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from audit import services as audit
from eaccount.constants import StaffRoleKind
from kernel.actors import Actor
from notifications.services import notify
from notifications.topics import Localised


def attempt_refused(*, actor: Actor, action: str, reason: str, target=None, data: dict | None = None) -> None:
    """A refused attempt is on record (outside the refused change's transaction, which rolls back)."""
    audit.record(
        action="access_rights.refused",
        actor=actor,
        target=target,
        reason=reason[:200],
        data={"attempted": action, **(data or {})},
    )


def term_end(valid_until: date | None) -> datetime | None:
    """A role "until 31.12.2027" holds through that day: it ends at the next midnight, local time."""
    if valid_until is None:
        return None
    return timezone.make_aware(datetime.combine(valid_until + timedelta(days=1), time.min))


def term_last_day(valid_until: datetime | None) -> date | None:
    """The last day a role holds (the day before its end moment, local time)."""
    if valid_until is None:
        return None
    return (timezone.localtime(valid_until) - timedelta(microseconds=1)).date()


def localised(value) -> Localised:
    with override("lv"):
        lv = str(value)
    with override("en"):
        en = str(value)
    return Localised(lv, en)


def localised_date(day: date) -> Localised:
    with override("lv"):
        lv = date_format(day, "SHORT_DATE_FORMAT")
    with override("en"):
        en = date_format(day, "j M Y")
    return Localised(lv, en)


def scope_name(scope) -> Localised:
    return Localised(scope.name_lv, scope.name_en or scope.name_lv)


def role_changed_notify(*, actor: Actor, role, granted: bool, key: str) -> None:
    """Tell the holder their role was granted (with its term) or revoked."""
    person = getattr(role.user, "person", None)
    if person is None:
        return
    scope = role.agency or role.centre
    last_day = term_last_day(role.valid_until)
    if not granted:
        term = localised("")
    elif last_day is None:
        term = localised(_("It is permanent."))
    else:
        day = localised_date(last_day)
        term = Localised(f"Derīga līdz {day.lv}", f"Valid until {day.en}.")
    notify(
        party=person,
        topic="staff_role_changed",
        context={
            "role": localised(StaffRoleKind(role.kind).label),
            "scope": scope_name(scope) if scope else localised(_("the platform")),
            "change": localised(_("granted") if granted else _("revoked")),
            "term": term,
        },
        dedupe_key=f"role-{'grant' if granted else 'revoke'}:{role.pk}:{key}"[:120],
        actor=actor,
    )
