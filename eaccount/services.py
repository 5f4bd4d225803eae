"""Writes of the e-account: parties, logins, staff roles, contact details and notice choices."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
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
from kernel.parties import party_key

from . import rules, selectors
from .constants import (
    ADMIN_ROLES,
    EMAIL_CONFIRMATION_HOURS,
    EMAIL_CONFIRMATION_RESEND_SECONDS,
    NOTICE_DEFAULT_CHANNELS,
    OPT_IN_NOTICE_KINDS,
    NoticeChannel,
    NoticeKind,
    PreferredLanguage,
)
from .contacts import (
    EMAIL_INVALID,
    confirmation_token_hash,
    email_masked,
    normalise_phone,
    phone_masked,
    phone_takes_sms,
)
from .exceptions import (
    ContactsNotFound,
    EmailConfirmationInvalid,
    StaffRoleGrantNotAllowed,
    StaffRoleRevokeNotAllowed,
)
from .models import NoticePreference, Organisation, PendingEmail, Person, StaffRole, User
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
        grantee_id=user.pk,
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


# --- contact details, language and notice choices (issue 11, item 5) --------------------------------
#
# Who may: rules.contacts_edit_allowed (oneself, a parent for a minor child, a board member for the
# company; never a delegate). Each refusal that names someone else's data is audited
# ("contacts.refused") and answered as "not found"; each change is audited with the party as
# "acting for", e-mail addresses and phone numbers masked (email_masked, phone_masked).

logger = logging.getLogger(__name__)

NOTICE_EMAIL_NEEDS_ADDRESS = _(
    "E-mail notices need a confirmed e-mail address: enter one under Contact details and open the "
    "link we send to it."
)
NOTICE_SMS_NEEDS_MOBILE = _("SMS notices need a mobile phone number: enter one under Contact details.")


def _audit_party_data(party) -> dict:
    return {"party": party_key(party)}


def contacts_attempt_refused(*, actor: Actor, claimed_party: str, reason: str) -> None:
    """Record a refused attempt to change contact details or notice choices that named a party the
    actor may not (or may no longer) edit: `claimed_party` as posted (cut short)."""
    audit.record(
        action="contacts.refused",
        actor=actor,
        acting_for=actor.principal,
        data={"claimed_party": str(claimed_party or "")[:40], "reason": reason[:40]},
    )


def _require_contacts_edit(*, actor: Actor, party, action: str) -> None:
    """Refuse (audited, "not found") unless the actor may edit the party's contacts."""
    if not rules.contacts_edit_allowed(user=actor.user_or_none, party=party):
        contacts_attempt_refused(
            actor=actor, claimed_party=party_key(party) if party is not None else "", reason=action
        )
        raise ContactsNotFound()


def _locked(party):
    return type(party).objects.select_for_update().get(pk=party.pk)


def _party_fields(party) -> dict:
    return {"person": party} if isinstance(party, Person) else {"organisation": party}


def _clean_email(value: str) -> str:
    """The address with its domain in lower case ("" for none); raises Invalid on "email"."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        if len(text) > 254:
            raise ValidationError(EMAIL_INVALID)
        validate_email(text)
    except ValidationError:
        raise Invalid(field_errors={"email": [EMAIL_INVALID]}) from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True, slots=True)
class ContactsChange:
    """What `contacts_update` did."""

    phone_changed: bool = False
    email_removed: bool = False
    pending_cancelled: bool = False
    confirmation_to: str = ""  # a new link was made for this address
    confirmation_sent: bool = False  # ... and the mail server took it
    confirmation_waiting: str = ""  # this address waits already; its link was not sent again

    @property
    def changed(self) -> bool:
        return bool(
            self.phone_changed or self.email_removed or self.pending_cancelled or self.confirmation_to
        )


def contacts_update(
    *, actor: Actor, party, email: str, phone: str, site_url: str, resend: bool = False
) -> ContactsChange:
    """Set `party`'s (a Person's or an Organisation's) phone and e-mail address.

    The phone is checked with python-phonenumbers and kept in E.164 (Invalid on "phone"). An empty
    e-mail removes the address at once; a new one does not replace the confirmed address yet: it
    waits (`PendingEmail`, replacing any earlier one) and a link to confirm it is mailed to it, in
    the active language, valid EMAIL_CONFIRMATION_HOURS (`site_url`: the portal's address, for the
    link). The waiting address entered again changes nothing while its link works, unless `resend`
    (a new link, no sooner than EMAIL_CONFIRMATION_RESEND_SECONDS after the last); the confirmed
    address entered again cancels a waiting one. Raises ContactsNotFound (audited) unless
    rules.contacts_edit_allowed."""
    _require_contacts_edit(actor=actor, party=party, action="contacts")
    errors: dict[str, list] = {}
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    try:
        email = _clean_email(email)
    except Invalid as error:
        errors.update(error.field_errors)
    if errors:
        raise Invalid(field_errors=errors)

    token = ""
    with transaction.atomic():
        locked = _locked(party)
        pending = PendingEmail.objects.select_for_update().filter(**_party_fields(locked)).first()
        now = timezone.now()
        result: dict = {}
        if phone != locked.phone:
            audit.record(
                action="contacts.phone_change",
                actor=actor,
                acting_for=locked,
                target=locked,
                data={
                    **_audit_party_data(locked),
                    "from": phone_masked(locked.phone),
                    "to": phone_masked(phone),
                },
            )
            locked.phone = phone
            locked.save(update_fields=["phone"])
            result["phone_changed"] = True
        if email == locked.email or not email:
            if not email and locked.email:
                audit.record(
                    action="contacts.email_remove",
                    actor=actor,
                    acting_for=locked,
                    target=locked,
                    data={**_audit_party_data(locked), "from": email_masked(locked.email)},
                )
                locked.email = ""
                locked.save(update_fields=["email"])
                _user_email_follow(locked)
                result["email_removed"] = True
            if pending is not None:
                audit.record(
                    action="contacts.email_pending_cancel",
                    actor=actor,
                    acting_for=locked,
                    target=locked,
                    data={**_audit_party_data(locked), "pending": email_masked(pending.email)},
                )
                pending.delete()
                result["pending_cancelled"] = True
        elif (
            pending is not None
            and pending.email == email
            and pending.expires_at > now
            and (not resend or (now - pending.created_at).total_seconds() < EMAIL_CONFIRMATION_RESEND_SECONDS)
        ):
            result["confirmation_waiting"] = email
        else:
            if pending is not None:
                pending.delete()
            token = secrets.token_urlsafe(32)
            PendingEmail.objects.create(
                **_party_fields(locked),
                email=email,
                token_hash=confirmation_token_hash(token),
                requested_by=actor.user_or_none,
                created_at=now,
                expires_at=now + timedelta(hours=EMAIL_CONFIRMATION_HOURS),
            )
            audit.record(
                action="contacts.email_change_request",
                actor=actor,
                acting_for=locked,
                target=locked,
                data={
                    **_audit_party_data(locked),
                    "from": email_masked(locked.email),
                    "to": email_masked(email),
                },
            )
            result["confirmation_to"] = email
    if token:
        result["confirmation_sent"] = _email_confirmation_send(
            party=locked, email=email, token=token, site_url=site_url
        )
    return ContactsChange(**result)


def _party_name(party) -> str:
    return party.full_name if isinstance(party, Person) else party.name


def _email_confirmation_send(*, party, email: str, token: str, site_url: str) -> bool:
    """Mail the link that confirms `email` (in the active language). The notifications will send it
    through notify(); until then Django's mail, after the commit, and a failure is only logged (the
    address waits; entering it again sends a new link)."""
    link = site_url.rstrip("/") + reverse("eaccount:email-confirm", kwargs={"token": token})
    subject = gettext("Confirm your e-mail address for the e-account")
    body = "\n\n".join(
        [
            gettext(
                "Someone asked to use this address for the e-account notices of %(name)s. "
                "To confirm it, open the link below while logged in to the portal:"
            )
            % {"name": _party_name(party)},
            link,
            gettext(
                "The link works for %(hours)d hours. If you did not ask for this, ignore this "
                "message: nothing changes without the link."
            )
            % {"hours": EMAIL_CONFIRMATION_HOURS},
        ]
    )
    try:
        EmailMessage(subject=subject, body=body, to=[email]).send()
    except Exception:  # the server refused or did not answer: the address waits, a retry sends anew
        logger.warning("confirmation e-mail to %s not sent", email_masked(email), exc_info=True)
        return False
    return True


def _user_email_follow(party) -> None:
    """A person's login keeps their confirmed address."""
    if isinstance(party, Person):
        User.objects.filter(person=party).update(email=party.email)


def email_confirm(*, actor: Actor, token: str):
    """Open a confirmation link: the waiting address becomes the party's e-mail address (and the
    link stops working). Only the party itself or who may edit its contacts now (rules) confirms:
    anybody else, an unknown, used, replaced or expired link raises EmailConfirmationInvalid and
    changes nothing (a link of someone else's is audited). Returns the party."""
    token = str(token or "")
    if not token or len(token) > 100:
        raise EmailConfirmationInvalid()
    token_hash = confirmation_token_hash(token)
    pending = selectors.pending_email_by_token_hash(token_hash=token_hash)
    if pending is None or pending.expires_at <= timezone.now():
        raise EmailConfirmationInvalid()
    party = pending.party
    if not rules.contacts_edit_allowed(user=actor.user_or_none, party=party):
        contacts_attempt_refused(actor=actor, claimed_party=party_key(party), reason="email_confirm")
        raise EmailConfirmationInvalid()
    with transaction.atomic():
        locked = _locked(party)
        current = (
            PendingEmail.objects.select_for_update()
            .filter(pk=pending.pk, token_hash=token_hash, expires_at__gt=timezone.now())
            .first()
        )
        if current is None:  # used or replaced in the meantime
            raise EmailConfirmationInvalid()
        audit.record(
            action="contacts.email_confirm",
            actor=actor,
            acting_for=locked,
            target=locked,
            data={
                **_audit_party_data(locked),
                "from": email_masked(locked.email),
                "to": email_masked(current.email),
            },
        )
        locked.email = current.email
        locked.save(update_fields=["email"])
        _user_email_follow(locked)
        current.delete()
    return locked


def language_set(*, actor: Actor, party, language: str) -> bool:
    """A person's preferred language of notices and messages (Invalid on "language" for one the
    portal has not, or for an organisation). Returns whether it changed."""
    _require_contacts_edit(actor=actor, party=party, action="language")
    if not isinstance(party, Person) or language not in PreferredLanguage.values:
        raise Invalid(field_errors={"language": [_("Choose Latvian or English.")]})
    with transaction.atomic():
        locked = _locked(party)
        if locked.preferred_language == language:
            return False
        audit.record(
            action="contacts.language_change",
            actor=actor,
            acting_for=locked,
            target=locked,
            data={**_audit_party_data(locked), "from": locked.preferred_language, "to": language},
        )
        locked.preferred_language = language
        locked.save(update_fields=["preferred_language"])
    party.preferred_language = language
    return True


def _sorted_channels(channels: Iterable[str]) -> list[str]:
    order = {value: i for i, value in enumerate(NoticeChannel.values)}
    return sorted({str(c) for c in channels}, key=order.__getitem__)


def notice_opt_out_by_link(*, party, kind: str) -> bool:
    """The one-click stop of a reminder's or an offer's link (concept 4.4.2.8): e-mail and SMS of that
    opt-in kind off for `party`. The link is signed and names the party and the kind; whoever holds it
    (the person it was sent to) may stop those notices, never start any or touch another kind — so no
    login is asked. Audited as "notices.opt_out" by the link. True if something was on."""
    if kind not in OPT_IN_NOTICE_KINDS:
        raise Invalid(field_errors={"__all__": [_("Unknown kind of notice.")]})
    with transaction.atomic():
        locked = _locked(party)
        now = timezone.now()
        stopped = (
            NoticePreference.objects.filter(**_party_fields(locked), kind=kind)
            .filter(Q(email=True) | Q(sms=True))
            .update(email=False, sms=False, updated_at=now)
        )
        if stopped:
            audit.record(
                action="notices.opt_out",
                actor=Actor.system("opt-out link"),
                acting_for=locked,
                target=locked,
                data={
                    **_audit_party_data(locked),
                    "kind": kind,
                    "channels": ["e_account"],
                    "at": now.isoformat(),
                },
            )
    return bool(stopped)


def notice_choices_set(*, actor: Actor, party, choices: Mapping[str, Iterable[str]]) -> dict:
    """Set the channels of each kind of notice named in `choices` ({kind: channels}; the e-account
    is always on whatever is given). E-mail needs a confirmed address and SMS a mobile number:
    asking for one without it raises Invalid on that kind; a channel that cannot be used now and is
    not asked for keeps its earlier choice (it comes back with the address or the number).

    Audited: "notices.change" with every changed kind, and for reminders and proactive offers
    (off until the party opts in, concept 4.4.2.8) "notices.opt_in" / "notices.opt_out" with the
    moment. Returns {kind: (before, after)} of the changed kinds."""
    _require_contacts_edit(actor=actor, party=party, action="notices")
    wanted: dict[str, set[str]] = {}
    errors: dict[str, list] = {}
    for kind, channels in choices.items():
        if kind not in NoticeKind.values:
            raise Invalid(field_errors={"__all__": [_("Unknown kind of notice.")]})
        asked = {str(c) for c in channels}
        if not asked <= set(NoticeChannel.values):
            errors.setdefault(kind, []).append(_("Choose e-mail, SMS or neither."))
            continue
        wanted[kind] = asked
    with transaction.atomic():
        locked = _locked(party)
        email_ok = selectors.notice_email_possible(party=locked)
        sms_ok = selectors.notice_sms_possible(party=locked)
        for kind, asked in wanted.items():
            if NoticeChannel.EMAIL in asked and not email_ok:
                errors.setdefault(kind, []).append(NOTICE_EMAIL_NEEDS_ADDRESS)
            if NoticeChannel.SMS in asked and not sms_ok:
                errors.setdefault(kind, []).append(NOTICE_SMS_NEEDS_MOBILE)
        if errors:
            raise Invalid(field_errors=errors)
        rows = {
            row.kind: row
            for row in NoticePreference.objects.select_for_update().filter(**_party_fields(locked))
        }
        before_all = selectors.notice_choices(party=locked)
        changed: dict[str, tuple[list[str], list[str]]] = {}
        now = timezone.now()
        for kind, asked in wanted.items():
            before = before_all[kind]
            email = NoticeChannel.EMAIL in asked if email_ok else NoticeChannel.EMAIL in before
            sms = NoticeChannel.SMS in asked if sms_ok else NoticeChannel.SMS in before
            after = frozenset(
                {NoticeChannel.E_ACCOUNT}
                | ({NoticeChannel.EMAIL} if email else set())
                | ({NoticeChannel.SMS} if sms else set())
            )
            if after == before:
                continue
            row = rows.get(kind)
            if row is None:
                NoticePreference.objects.create(**_party_fields(locked), kind=kind, email=email, sms=sms)
            else:
                row.email, row.sms = email, sms
                row.save(update_fields=["email", "sms", "updated_at"])
            changed[kind] = (_sorted_channels(before), _sorted_channels(after))
            if kind in OPT_IN_NOTICE_KINDS:
                default = NOTICE_DEFAULT_CHANNELS[kind]
                opted_in = bool(after - default)
                audit.record(
                    action="notices.opt_in" if opted_in else "notices.opt_out",
                    actor=actor,
                    acting_for=locked,
                    target=locked,
                    data={
                        **_audit_party_data(locked),
                        "kind": kind,
                        "channels": _sorted_channels(after),
                        "at": now.isoformat(),
                    },
                )
        if changed:
            audit.record(
                action="notices.change",
                actor=actor,
                acting_for=locked,
                target=locked,
                data={
                    **_audit_party_data(locked),
                    "changes": {kind: {"from": b, "to": a} for kind, (b, a) in changed.items()},
                },
            )
    return changed


# the kinds of notice that tell a client about their case's result (point 22.1.7)
CASE_RESULT_NOTICE_KINDS = (NoticeKind.CASE_STATUS, NoticeKind.RESULT)


def case_notices_set_in_person(*, actor: Actor, person: Person, channel: str, address: str = "") -> None:
    """The client at a one-stop centre's desk says how to be told of their cases' status and result:
    by e-mail to `address`, by SMS to `address` (a mobile number), or in the e-account only
    (`channel` "none"). The address is read back to the client there and kept as confirmed. Raises
    Invalid on "address" for a wrong one, ContactsNotFound (audited) for anyone but the specialist of
    the centre the actor works at (rules.contacts_set_in_person_allowed)."""
    user = actor.user_or_none
    centre_ids = selectors.centre_ids_for_user(user=user) if user is not None else set()
    if not rules.contacts_set_in_person_allowed(
        centre_id=actor.centre_id, centre_ids=centre_ids, party=person
    ):
        contacts_attempt_refused(actor=actor, claimed_party=party_key(person), reason="in_person")
        raise ContactsNotFound()
    email = sms = False
    if channel == NoticeChannel.EMAIL:
        try:
            address = _clean_email(address)
        except Invalid:
            raise Invalid(field_errors={"address": [EMAIL_INVALID]}) from None
        if not address:
            raise Invalid(field_errors={"address": [_("Enter the e-mail address.")]})
        email = True
    elif channel == NoticeChannel.SMS:
        try:
            address = normalise_phone(address)
        except ValidationError as error:
            raise Invalid(field_errors={"address": error.messages}) from None
        if not phone_takes_sms(address):
            raise Invalid(field_errors={"address": [_("Enter a mobile phone number: SMS go only to one.")]})
        sms = True
    elif channel != "none":
        raise Invalid(field_errors={"channel": [_("Choose e-mail, SMS or neither.")]})
    with transaction.atomic():
        locked = _locked(person)
        fields = []
        if email and locked.email != address:
            locked.email = address
            fields.append("email")
        if sms and locked.phone != address:
            locked.phone = address
            fields.append("phone")
        if fields:
            locked.save(update_fields=fields)
            _user_email_follow(locked)
        for kind in CASE_RESULT_NOTICE_KINDS:
            NoticePreference.objects.update_or_create(
                person=locked, kind=kind, defaults={"email": email, "sms": sms}
            )
        audit.record(
            action="contacts.set_in_person",
            actor=actor,
            acting_for=locked,
            target=locked,
            data={
                **_audit_party_data(locked),
                "channel": channel,
                "to": email_masked(address) if email else phone_masked(address) if sms else "",
                "kinds": list(CASE_RESULT_NOTICE_KINDS),
            },
        )
