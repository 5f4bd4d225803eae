"""The terms kept (Reg. 401 Annex 2 notes 3-4), two beat jobs:

- `staff_roles_expiry_warn`: before a fixed-term role ends, its holder and their admins are told,
  once at each of EXPIRY_WARNING_DAYS (14 and 3 days before its last day);
- `staff_roles_inactive_review`: the roles whose holder has not logged in for INACTIVITY_REVIEW_DAYS
  are counted to the admins who answer for them, once per ISO week.

**Reads are set-based**: one query picks the roles, one more the admins of all their agencies and
centres (and the platform admins); then one notify() per recipient. Whom a role concerns: the admins
of its agency (agency_staff) or centre (centre_specialist); for an admin-level role (agency_admin,
centre_admin, platform_admin) the platform admins.

**Safe to run twice, and cut short**: each notice is its own transaction (notify()) with a dedupe key
per recipient, so a second run sends nothing, and a run stopped by the time limit leaves what it sent
for the next run to complete. One audit event per run that sent anything.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import services as audit
from eaccount import selectors as eaccount_selectors
from eaccount.constants import ADMIN_ROLES, AGENCY_ROLES, StaffRoleKind
from kernel.actors import Actor
from notifications.services import notify

from ..constants import EXPIRY_WARNING_DAYS, INACTIVITY_REVIEW_DAYS
from ._common import localised, localised_date, scope_name, term_end, term_last_day

TOPIC_EXPIRING = "staff_role_expiring"
TOPIC_INACTIVE = "staff_roles_inactive"
# The pages the notices point to: the admin's staff roles and the roles to review.
STAFF_LINK = reverse_lazy("access_rights:staff")
REVIEW_LINK = reverse_lazy("access_rights:review")

PLATFORM = ("platform", None)


def _answered_by(kind: str, agency_id: int | None, centre_id: int | None) -> tuple:
    """Whose admins answer for a role of this kind: the platform's for an admin-level role, else its
    agency's or centre's."""
    if kind in ADMIN_ROLES:
        return PLATFORM
    if kind in AGENCY_ROLES:
        return ("agency", agency_id)
    return ("centre", centre_id)


def _administered(kind: str, agency_id: int | None, centre_id: int | None) -> tuple:
    """What an admin role administers (the key `_answered_by` gives the roles it answers for)."""
    if kind == StaffRoleKind.PLATFORM_ADMIN:
        return PLATFORM
    if kind == StaffRoleKind.AGENCY_ADMIN:
        return ("agency", agency_id)
    return ("centre", centre_id)


def _admins_of(keys: set[tuple], *, now: datetime) -> dict[tuple, dict]:
    """The admins in force at `now` of each key (agency, centre, or the platform), as {person pk:
    Person}: one query for all of them."""
    agency_ids = [pk for scope, pk in keys if scope == "agency"]
    centre_ids = [pk for scope, pk in keys if scope == "centre"]
    wanted = Q(kind=StaffRoleKind.AGENCY_ADMIN, agency_id__in=agency_ids) | Q(
        kind=StaffRoleKind.CENTRE_ADMIN, centre_id__in=centre_ids
    )
    if PLATFORM in keys:
        wanted |= Q(kind=StaffRoleKind.PLATFORM_ADMIN)
    roles = (
        eaccount_selectors.staff_roles_in_scope(every=True)
        .active(at=now)
        .filter(wanted, user__person__isnull=False)
        .select_related(None)
        .select_related("user__person")
        .order_by("id")
    )
    admins: dict[tuple, dict] = defaultdict(dict)
    for role in roles:
        person = role.user.person
        admins[_administered(role.kind, role.agency_id, role.centre_id)][person.pk] = person
    return admins


def _threshold(days_left: int) -> int:
    """The smallest warning threshold the role has reached (a role first seen 2 days before its end
    gets the 3-day warning only)."""
    return min(d for d in EXPIRY_WARNING_DAYS if days_left <= d)


def staff_roles_expiry_warn(*, actor: Actor, now: datetime | None = None) -> int:
    """Warn of the fixed-term roles in force whose last day is at most 14 (then 3) days from today:
    the holder and the admins who answer for the role, each once per role, term and threshold (the
    dedupe key `role-expiry:<role>:<last day>:<days>:<person>`; a job that skips a day still warns,
    at the next run). Revoked and permanent roles are never warned of. Returns how many notices
    (recipients told) were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    roles = list(
        eaccount_selectors.staff_roles_ending_between(
            start=now, end=term_end(today + timedelta(days=max(EXPIRY_WARNING_DAYS)))
        )
    )
    if not roles:
        return 0
    admins = _admins_of({_answered_by(r.kind, r.agency_id, r.centre_id) for r in roles}, now=now)
    sent = warned = 0
    for role in roles:
        last_day = term_last_day(role.valid_until)
        days = _threshold((last_day - today).days)
        holder = getattr(role.user, "person", None)
        recipients = dict(admins.get(_answered_by(role.kind, role.agency_id, role.centre_id), {}))
        if holder is not None:
            recipients[holder.pk] = holder
        scope = role.agency or role.centre
        context = {
            "holder": holder.full_name if holder is not None else str(role.user),
            "role": localised(StaffRoleKind(role.kind).label),
            "scope": scope_name(scope) if scope else localised(_("the platform")),
            "until": localised_date(last_day),
            "days": (last_day - today).days,
            "link": STAFF_LINK,
        }
        told = 0
        for person_id, person in sorted(recipients.items()):
            created = notify(
                party=person,
                topic=TOPIC_EXPIRING,
                context=context,
                dedupe_key=f"role-expiry:{role.pk}:{last_day.isoformat()}:{days}:{person_id}",
                actor=actor,
                link_url=STAFF_LINK,
            )
            told += bool(created)
        sent += told
        warned += bool(told)
    if sent:
        audit.record(action="role.expiry_warned", actor=actor, data={"roles": warned, "notices": sent})
    return sent


def staff_roles_inactive_review(*, actor: Actor, now: datetime | None = None) -> int:
    """Count to each admin the roles they answer for that are in force, begun more than 90 days ago,
    and whose holder has not logged in for 90 days (never counting the admin's own roles); each admin
    with any is told once per ISO week (the dedupe key `roles-inactive:<person>:<year>-W<week>`).
    Returns how many admins were told."""
    now = now or timezone.now()
    since = now - timedelta(days=INACTIVITY_REVIEW_DAYS)
    rows = list(
        eaccount_selectors.staff_roles_without_login_since(since=since)
        .active(at=now)
        .order_by("id")
        .values_list("id", "kind", "agency_id", "centre_id", "user__person_id")
    )
    if not rows:
        return 0
    keys = {_answered_by(kind, agency, centre) for _pk, kind, agency, centre, _h in rows}
    admins = _admins_of(keys, now=now)
    theirs: dict[int, set[int]] = defaultdict(set)
    people: dict[int, object] = {}
    for role_id, kind, agency, centre, holder_id in rows:
        for person_id, admin in admins.get(_answered_by(kind, agency, centre), {}).items():
            if person_id != holder_id:
                theirs[person_id].add(role_id)
                people[person_id] = admin
    year, week, _day = timezone.localdate(now).isocalendar()
    told = 0
    for person_id, role_ids in sorted(theirs.items()):
        created = notify(
            party=people[person_id],
            topic=TOPIC_INACTIVE,
            context={"count": len(role_ids), "days": INACTIVITY_REVIEW_DAYS, "link": REVIEW_LINK},
            dedupe_key=f"roles-inactive:{person_id}:{year}-W{week:02d}",
            actor=actor,
            link_url=REVIEW_LINK,
        )
        told += bool(created)
    if told:
        audit.record(
            action="role.inactivity_reviewed",
            actor=actor,
            data={"admins": told, "roles": len({pk for ids in theirs.values() for pk in ids})},
        )
    return told
