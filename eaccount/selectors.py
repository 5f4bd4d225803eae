"""Reads of the e-account and the questions other apps ask about a user."""

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.collation import latvian
from kernel.constants import PartyKind
from kernel.identifiers import normalise_personal_code, normalise_registration_number

from . import rules
from .constants import (
    AGENCY_ROLES,
    CENTRE_ROLES,
    NOTICE_DEFAULT_CHANNELS,
    NoticeChannel,
    NoticeKind,
    PreferredLanguage,
    StaffRoleKind,
)
from .contacts import confirmation_token_hash, phone_display, phone_takes_sms
from .models import (
    BoardMembership,
    Document,
    NoticePreference,
    Organisation,
    OrganisationLiquidation,
    ParentChild,
    PendingEmail,
    Person,
    RegisterDocument,
    StaffRole,
    User,
)


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
    """After a change of the user's roles: the next question reads them again. Forgotten now and once
    more after the commit: a request of that user during the changing transaction still reads (and
    caches) the roles as committed before it."""
    key = _role_facts_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
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


def staff_roles_in_scope(
    *, agency_ids: Collection[int] = (), centre_ids: Collection[int] = (), every: bool = False
):
    """Roles of any time (ended and revoked ones too) of these agencies and centres, or `every` role
    (a platform admin's register), with their holder, granter, agency and centre, newest first."""
    roles = StaffRole.objects.select_related("user__person", "granted_by__person", "agency", "centre")
    if not every:
        roles = roles.filter(
            Q(kind__in=AGENCY_ROLES, agency_id__in=list(agency_ids))
            | Q(kind__in=CENTRE_ROLES, centre_id__in=list(centre_ids))
        )
    return roles.order_by("-valid_from", "-id")


def staff_role_current_of(*, user_id: int, kind: str, agency_id: int | None, centre_id: int | None):
    """The user's roles of this kind and scope that are in force now (none, or one as a rule)."""
    return StaffRole.objects.active().filter(
        user_id=user_id, kind=kind, agency_id=agency_id, centre_id=centre_id
    )


def platform_admin_persons() -> QuerySet[Person]:
    """Whoever holds the platform admin role now (the ministry's people who decide Annex 2 requests)."""
    return Person.objects.filter(
        user__staff_roles__in=StaffRole.objects.active().filter(kind=StaffRoleKind.PLATFORM_ADMIN)
    ).distinct()


def staff_roles_ending_between(*, start: datetime, end: datetime):
    """Fixed-term roles in force that end within (start, end], with holder and scope."""
    return (
        StaffRole.objects.active(at=start)
        .filter(valid_until__gt=start, valid_until__lte=end)
        .select_related("user__person", "agency", "centre")
        .order_by("valid_until", "id")
    )


def staff_roles_without_login_since(*, since: datetime):
    """Roles in force, begun before `since`, whose holder has not logged in since then (never, or
    last before it): the roles an admin should review (Annex 2 note 4)."""
    return (
        StaffRole.objects.active()
        .filter(valid_from__lt=since)
        .filter(Q(user__last_login__isnull=True) | Q(user__last_login__lt=since))
        .select_related("user__person", "agency", "centre")
        .order_by("user__last_login", "id")
    )


def user_is_official(*, user: User) -> bool:
    """Any active staff role: agency, centre or platform."""
    return bool(staff_role_facts(user=user))


def demo_login_persons() -> QuerySet[Person]:
    return Person.objects.select_related("user").order_by(latvian("last_name"), latvian("first_name"), "pk")


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


# --- contact details and notice choices ----------------------------------------------------------


def _party_filter(party) -> dict:
    if isinstance(party, Person):
        return {"person": party}
    if isinstance(party, Organisation):
        return {"organisation": party}
    raise TypeError("contact details belong to a Person or an Organisation")


def party_get_by_key(*, key: str) -> Person | Organisation | None:
    """The person or organisation a key names (`person:12`, `organisation:3`; kernel.parties.party_key),
    or None for a key that names nobody or is not a key."""
    kind, _sep, raw_id = str(key or "").partition(":")
    if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 18:
        return None
    model = {PartyKind.PERSON: Person, PartyKind.ORGANISATION: Organisation}.get(kind)
    return model.objects.filter(pk=int(raw_id)).first() if model is not None else None


@dataclass(frozen=True, slots=True)
class PendingEmailFacts:
    email: str
    created_at: datetime
    expires_at: datetime

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


def pending_email_for(*, party) -> PendingEmailFacts | None:
    """The new e-mail address of `party` waiting for its link to be opened (expired or not)."""
    row = (
        PendingEmail.objects.filter(**_party_filter(party))
        .values_list("email", "created_at", "expires_at")
        .first()
    )
    return PendingEmailFacts(*row) if row else None


def pending_email_by_token_hash(*, token_hash: str) -> PendingEmail | None:
    return PendingEmail.objects.select_related("person", "organisation").filter(token_hash=token_hash).first()


def pending_email_to_confirm(*, user, token: str) -> PendingEmail | None:
    """The waiting address whose link this is, if the link still works and `user` may confirm it
    (rules.contacts_edit_allowed); None alike for an unknown, used, replaced or expired link and a
    link of someone else's."""
    token = str(token or "")
    if not token or len(token) > 100:
        return None
    pending = pending_email_by_token_hash(token_hash=confirmation_token_hash(token))
    if pending is None or pending.expires_at <= timezone.now():
        return None
    if not rules.contacts_edit_allowed(user=user, party=pending.party):
        return None
    return pending


def notice_email_possible(*, party) -> bool:
    """E-mail notices go only to a confirmed address."""
    return bool(party.email)


def notice_sms_possible(*, party) -> bool:
    """SMS notices go only to a mobile phone number."""
    return phone_takes_sms(party.phone)


def notice_choices(*, party) -> dict[str, frozenset[str]]:
    """What `party` chose for each kind of notice (the defaults where they did not choose), whether
    or not the channels can be used now. One query."""
    chosen = dict(NOTICE_DEFAULT_CHANNELS)
    for kind, email, sms in NoticePreference.objects.filter(**_party_filter(party)).values_list(
        "kind", "email", "sms"
    ):
        channels = {NoticeChannel.E_ACCOUNT}
        if email:
            channels.add(NoticeChannel.EMAIL)
        if sms:
            channels.add(NoticeChannel.SMS)
        chosen[kind] = frozenset(channels)
    return chosen


def notice_channels_usable(*, party, chosen: frozenset[str]) -> set[str]:
    """Of the channels chosen, those that reach `party` now (the e-account always does)."""
    usable = {NoticeChannel.E_ACCOUNT.value}
    if NoticeChannel.EMAIL in chosen and notice_email_possible(party=party):
        usable.add(NoticeChannel.EMAIL.value)
    if NoticeChannel.SMS in chosen and notice_sms_possible(party=party):
        usable.add(NoticeChannel.SMS.value)
    return usable


def notice_choices_usable(*, party) -> dict[str, set[str]]:
    """For each kind of notice, the channels it goes to now (as `notice_channels`). One query."""
    return {
        kind: notice_channels_usable(party=party, chosen=chosen)
        for kind, chosen in notice_choices(party=party).items()
    }


def notice_channels(*, party, kind: str) -> set[str]:
    """For the notifications: the channels a notice of `kind` (constants.NoticeKind) goes to for
    `party` (a Person or an Organisation): always "e_account", "email" when chosen and the party has a
    confirmed address (`party.email`), "sms" when chosen and `party.phone` is a mobile number.
    Reminders and proactive offers go to the e-account only until the party opts in (concept
    4.4.2.8). One query."""
    kind = NoticeKind(kind)
    row = (
        NoticePreference.objects.filter(**_party_filter(party), kind=kind).values_list("email", "sms").first()
    )
    if row is None:
        chosen = NOTICE_DEFAULT_CHANNELS[kind]
    else:
        chosen = frozenset(
            {NoticeChannel.E_ACCOUNT}
            | ({NoticeChannel.EMAIL} if row[0] else set())
            | ({NoticeChannel.SMS} if row[1] else set())
        )
    return notice_channels_usable(party=party, chosen=chosen)


def notice_language(*, party) -> str:
    """The language of `party`'s notices: a person's preferred language, Latvian for an organisation."""
    return getattr(party, "preferred_language", "") or PreferredLanguage.LV.value


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """What the e-account page shows of a party's contacts."""

    email: str
    phone: str
    phone_display: str
    pending: PendingEmailFacts | None
    language: str | None  # a person's; None for an organisation
    email_possible: bool
    sms_possible: bool


def contact_details(*, party) -> ContactDetails:
    """One query (the address waiting for confirmation)."""
    return ContactDetails(
        email=party.email,
        phone=party.phone,
        phone_display=phone_display(party.phone),
        pending=pending_email_for(party=party),
        language=getattr(party, "preferred_language", None),
        email_possible=notice_email_possible(party=party),
        sms_possible=notice_sms_possible(party=party),
    )


# --- register data and opt-in for the proactive notices (issue 12, item 5) ----------------------------
# Each returns a queryset that the rule scan (requests_registry.services.proactive) composes into one SQL
# statement per rule: nothing here is evaluated per person. `child` and `person` may be OuterRef()s.


def register_document_kinds() -> list[tuple[str, str]]:
    """The kinds of identity document the register knows (value, label): a rule's choices."""
    from .models import RegisterDocumentKind

    return list(RegisterDocumentKind.choices)


def register_document_kind_label(*, kind: str) -> str:
    from .models import RegisterDocumentKind

    return str(RegisterDocumentKind(kind).label) if kind in RegisterDocumentKind.values else kind


def register_documents_expiring(*, kind: str, first_day, last_day) -> QuerySet:
    """Documents of `kind` valid until a day in [first_day, last_day] (by the (kind, expires_on) index)."""
    from .models import RegisterDocument

    return RegisterDocument.objects.filter(kind=kind, expires_on__gte=first_day, expires_on__lte=last_day)


def parent_links_of_children_born(*, first_day, last_day) -> QuerySet:
    """The parent–child links of the children born in [first_day, last_day]."""
    from .models import ParentChild

    return ParentChild.objects.filter(child__birth_date__gte=first_day, child__birth_date__lte=last_day)


def parent_links_of(*, child) -> QuerySet:
    """A child's links to its parents (`child` an id or an OuterRef: usable in Exists)."""
    from .models import ParentChild

    return ParentChild.objects.filter(child_id=child)


def liquidations_started(*, first_day, last_day) -> QuerySet:
    """The companies whose liquidation started in [first_day, last_day]."""
    from .models import OrganisationLiquidation

    return OrganisationLiquidation.objects.filter(started_on__gte=first_day, started_on__lte=last_day)


def _opted_in(kind: str, party_field: str) -> QuerySet:
    # Opted in: e-mail or SMS chosen for a kind that goes to the e-account only until one is
    # (constants.OPT_IN_NOTICE_KINDS), with the address or the number to use it (as notice_channels: a
    # choice kept while its channel cannot be used is not an opt-in; the one-click link clears both).
    # A row with neither is the default, not an opt-in.
    return NoticePreference.objects.filter(kind=NoticeKind(kind), **{f"{party_field}__isnull": False}).filter(
        (Q(email=True) & ~Q(**{f"{party_field}__email": ""}))
        | (Q(sms=True) & ~Q(**{f"{party_field}__phone": ""}))
    )


def notice_opted_in_person_ids(*, kind: str) -> QuerySet:
    """The ids of the persons who opted in to notices of `kind` (a values queryset: a subquery)."""
    return _opted_in(kind, "person").values("person_id")


def notice_opted_in_organisation_ids(*, kind: str) -> QuerySet:
    """The ids of the organisations that opted in to notices of `kind` (a values queryset)."""
    return _opted_in(kind, "organisation").values("organisation_id")


def notice_opted_in(*, party, kind: str) -> bool:
    """Has `party` opted in to notices of `kind` (e-mail or SMS chosen)?"""
    field = "person" if isinstance(party, Person) else "organisation"
    return _opted_in(kind, field).filter(**_party_filter(party)).exists()


# --- an official's profile of a client (workplace.selectors.profile) --------------------------------
# Whoever calls these has decided the official may see the client: they do not check it again.


@dataclass(frozen=True, slots=True)
class Representation:
    """One legal representation around a client, from register data: `represents` — the client
    represents `name` (their minor child, a company whose board they sit on); otherwise `name`
    represents the client (a minor's parent, a company's board member)."""

    relation: str  # one of REPRESENTATION_LABELS
    represents: bool
    name: str
    identifier: str  # the other's personal code or registration number
    position: str = ""
    valid_until: object = None

    @property
    def label(self) -> str:
        return str(REPRESENTATION_LABELS[self.relation])


REPRESENTATION_LABELS = {
    "parent": _("Parent (legal representative)"),
    "child": _("Minor child"),
    "board_member": _("Board member"),
    "company": _("Company represented as a board member"),
}


def representations_of(*, party, on=None) -> list[Representation]:
    """Who represents the party by law and whom they represent, from the register: for a person their
    parents while they are a minor, their minor children and the companies whose board they sit on
    today; for an organisation its board members today. At most two queries (one for an
    organisation), whatever their number."""
    today = on or timezone.localdate()
    in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    found: list[Representation] = []
    if isinstance(party, Organisation):
        for membership in (
            BoardMembership.objects.filter(in_force, organisation_id=party.pk)
            .select_related("person")
            .only(
                "position", "valid_until", "person__first_name", "person__last_name", "person__personal_code"
            )
            .order_by("person__last_name", "person__first_name", "id")
        ):
            person = membership.person
            found.append(
                Representation(
                    "board_member",
                    False,
                    person.full_name,
                    person.personal_code,
                    membership.position,
                    membership.valid_until,
                )
            )
        return found
    links = (
        ParentChild.objects.filter(Q(child_id=party.pk) | Q(parent_id=party.pk))
        .select_related("parent", "child")
        .only(*(f"{who}__{name}" for who in ("parent", "child") for name in _PERSON_FACTS))
        .order_by("id")
    )
    for link in links:
        if link.child_id == party.pk and party.is_minor:
            parent = link.parent
            found.append(Representation("parent", False, parent.full_name, parent.personal_code))
        elif link.parent_id == party.pk and link.child.is_minor:
            child = link.child
            found.append(Representation("child", True, child.full_name, child.personal_code))
    for membership in (
        BoardMembership.objects.filter(in_force, person_id=party.pk)
        .select_related("organisation")
        .only("position", "valid_until", "organisation__name", "organisation__registration_number")
        .order_by("organisation__name", "id")
    ):
        organisation = membership.organisation
        found.append(
            Representation(
                "company",
                True,
                organisation.name,
                organisation.registration_number,
                membership.position,
                membership.valid_until,
            )
        )
    return found


_PERSON_FACTS = ("first_name", "last_name", "personal_code", "birth_date")


def documents_of_party(
    *, party, service_codes: Collection[str] | None = None, limit: int = 20
) -> tuple[list, int]:
    """The documents delivered to the party's e-account, newest first (title, file name, issuer,
    service code, date); only those of `service_codes` when given (an agency's staff: its services).
    `(the newest `limit`, how many in all)`: one query."""
    owner = {"organisation_id": party.pk} if isinstance(party, Organisation) else {"person_id": party.pk}
    qs = Document.objects.filter(**owner)
    if service_codes is not None:
        qs = qs.filter(service_code__in=sorted(service_codes))
    rows = list(
        qs.only("id", "title", "original_name", "issuer_label", "service_code", "created_at")
        .annotate(profile_total=Window(Count("pk")))
        .order_by("-created_at", "-id")[:limit]
    )
    return rows, (rows[0].profile_total if rows else 0)


@dataclass(frozen=True, slots=True)
class RegisterFacts:
    """What the registers say of a party beyond its name: a person's identity documents (newest
    expiry first), an organisation's liquidation."""

    documents: tuple = ()
    liquidation_started_on: object = None


def register_facts_of(*, party) -> RegisterFacts:
    """One query: a person's identity documents, or an organisation's liquidation."""
    if isinstance(party, Organisation):
        started = (
            OrganisationLiquidation.objects.filter(organisation_id=party.pk)
            .values_list("started_on", flat=True)
            .first()
        )
        return RegisterFacts(liquidation_started_on=started)
    return RegisterFacts(
        documents=tuple(
            RegisterDocument.objects.filter(person_id=party.pk)
            .only("id", "kind", "number", "expires_on")
            .order_by("-expires_on", "-id")
        )
    )
