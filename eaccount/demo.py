"""Demo register data and logins. Idempotent: persons are matched by personal code."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from catalogue import selectors as catalogue_selectors

from .constants import ADMIN_ROLES, NoticeKind, StaffRoleKind
from .models import (
    BoardMembership,
    NoticePreference,
    Organisation,
    OrganisationLiquidation,
    ParentChild,
    Person,
    RegisterDocument,
    RegisterDocumentKind,
    StaffRole,
    User,
)
from .services import user_create_for_person

# personal code, first name, last name, municipality, has a login
DEMO_PERSONS = {
    "citizen_parent": ("150585-12343", "Anna", "Bērziņa", "RIGA", True),
    "child": ("030718-23455", "Jānis", "Bērziņš", "RIGA", False),
    "board_member": ("321234-56785", "Pēteris", "Kalniņš", "ROJA", True),
    "centre_specialist": ("221179-14568", "Ilze", "Ozola", "VALMIERA", True),
    "centre_admin": ("070770-14569", "Inga", "Kalēja", "VALMIERA", True),
    "vsaa_admin": ("090290-15603", "Māris", "Liepa", "RIGA", True),
    "vsaa_staff": ("010199-12101", "Edgars", "Zariņš", "RIGA", True),
    "pmlp_admin": ("171288-16705", "Laura", "Krūmiņa", "RIGA", True),
    "platform_admin": ("050475-17801", "Dace", "Vītola", "RIGA", True),
    # VSAA's authorised person, who signs and submits its Annex 2 requests for admin-level rights
    "vsaa_authorised": ("120384-11007", "Rita", "Kalna", "RIGA", True),
    "client_without_eid": ("280867-18907", "Valdis", "Egle", "VALMIERA", False),
}
# A person with a new-format code keeps their old one as the previous code (and is found by either).
DEMO_PREVIOUS_CODES = {"board_member": "120380-12348"}
DEMO_COMPANY = ("40003000002", "SIA Demo Koks", "Rūpniecības iela 1, Roja")

# Register data for the proactive notices (issue 12, item 5). Dates are set relative to the day the
# demo data is first loaded and kept on later loads (matched by personal code, document number and
# company): a newborn for Anna and one for Pēteris (new-format codes, which carry no birth date), born
# 10 days before; identity documents; and the demo company's liquidation, started 5 days before.
DEMO_NEWBORNS = {
    # parent, personal code, first name, last name, days since the birth
    "newborn_of_citizen_parent": ("citizen_parent", "329000-00011", "Līga", "Bērziņa", 10),
    "newborn_of_board_member": ("board_member", "329000-00020", "Roberts", "Kalniņš", 10),
}
DEMO_DOCUMENTS = {
    # holder, kind, number, days until it expires
    "citizen_parent": (RegisterDocumentKind.ID_CARD, "PA9000001", 30),
    "board_member": (RegisterDocumentKind.PASSPORT, "LV9000002", 85),
}
DEMO_LIQUIDATION_DAYS_AGO = 5
# Anna's notice choices (set on the first load only: later she changes them on her profile): a mobile
# phone, status changes by SMS and not by e-mail, and reminders and offers by e-mail (she opted in);
# Pēteris keeps the defaults (no reminders or offers beyond his e-account).
DEMO_PHONES = {"citizen_parent": "+37120000001"}
DEMO_NOTICE_CHOICES = {
    "citizen_parent": {
        NoticeKind.CASE_STATUS: {"email": False, "sms": True},
        NoticeKind.REMINDER: {"email": True, "sms": False},
        NoticeKind.PROACTIVE_OFFER: {"email": True, "sms": False},
    }
}

DEMO_ROLES = {
    "centre_specialist": (StaffRoleKind.CENTRE_SPECIALIST, None, "VPVKAC-VALMIERA"),
    "centre_admin": (StaffRoleKind.CENTRE_ADMIN, None, "VPVKAC-VALMIERA"),
    "vsaa_admin": (StaffRoleKind.AGENCY_ADMIN, "VSAA", None),
    "vsaa_staff": (StaffRoleKind.AGENCY_STAFF, "VSAA", None),
    "pmlp_admin": (StaffRoleKind.AGENCY_ADMIN, "PMLP", None),
    "platform_admin": (StaffRoleKind.PLATFORM_ADMIN, None, None),
    "vsaa_authorised": (StaffRoleKind.AGENCY_STAFF, "VSAA", None),
}


@transaction.atomic
def load_demo_people() -> dict[str, Person]:
    from kernel.identifiers import birth_date_from_personal_code

    municipalities = {a.code: a for a in catalogue_selectors.agencies(kind="municipality")}
    people = {}
    for key, (code, first, last, municipality, has_login) in DEMO_PERSONS.items():
        person, _ = Person.objects.update_or_create(
            personal_code=code,
            defaults={
                "previous_personal_code": DEMO_PREVIOUS_CODES.get(key),
                "first_name": first,
                "last_name": last,
                "birth_date": birth_date_from_personal_code(code)
                or birth_date_from_personal_code(DEMO_PREVIOUS_CODES.get(key, ""))
                or date(1985, 4, 1),
                "municipality": municipalities.get(municipality),
                "email": f"{first.lower()}@example.lv" if has_login else "",
                "has_eid": has_login,
            },
        )
        people[key] = person
        if has_login and not User.objects.filter(person=person).exists():
            # the admins may enter the Django admin, where they grant and revoke roles in their scope
            is_admin = key in DEMO_ROLES and DEMO_ROLES[key][0] in ADMIN_ROLES
            user_create_for_person(person=person, is_staff=is_admin)
    ParentChild.objects.get_or_create(parent=people["citizen_parent"], child=people["child"])
    company, _ = Organisation.objects.update_or_create(
        registration_number=DEMO_COMPANY[0],
        defaults={"name": DEMO_COMPANY[1], "address": DEMO_COMPANY[2]},
    )
    BoardMembership.objects.get_or_create(
        person=people["board_member"],
        organisation=company,
        defaults={"position": "Valdes loceklis"},
    )
    load_demo_register_data(people, company=company)
    load_demo_notice_choices(people)
    for key, (kind, agency_code, centre_code) in DEMO_ROLES.items():
        user = people[key].user
        StaffRole.objects.get_or_create(
            user=user,
            kind=kind,
            agency=catalogue_selectors.agency_get_by_code(code=agency_code) if agency_code else None,
            centre=catalogue_selectors.centre_get_by_code(code=centre_code) if centre_code else None,
            revoked_at=None,
            defaults={"permanent": True},  # demo roles have no end date, on purpose
        )
        if key == "platform_admin" and not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    return people


def load_demo_register_data(people: dict[str, Person], *, company: Organisation) -> None:
    """Newborns, identity documents and a liquidation (DEMO_NEWBORNS, DEMO_DOCUMENTS); the children
    are added to `people`. Idempotent: what exists keeps its dates."""
    today = timezone.localdate()
    for key, (parent_key, code, first, last, days_ago) in DEMO_NEWBORNS.items():
        parent = people[parent_key]
        child, _ = Person.objects.get_or_create(
            personal_code=code,
            defaults={
                "first_name": first,
                "last_name": last,
                "birth_date": today - timedelta(days=days_ago),
                "municipality": parent.municipality,
                "has_eid": False,
            },
        )
        ParentChild.objects.get_or_create(parent=parent, child=child)
        people[key] = child
    for holder, (kind, number, days) in DEMO_DOCUMENTS.items():
        RegisterDocument.objects.get_or_create(
            number=number,
            defaults={"person": people[holder], "kind": kind, "expires_on": today + timedelta(days=days)},
        )
    OrganisationLiquidation.objects.get_or_create(
        organisation=company, defaults={"started_on": today - timedelta(days=DEMO_LIQUIDATION_DAYS_AGO)}
    )


def load_demo_notice_choices(people: dict[str, Person]) -> None:
    """DEMO_PHONES and DEMO_NOTICE_CHOICES, where the person has none yet (what they changed stays)."""
    for key, phone in DEMO_PHONES.items():
        Person.objects.filter(pk=people[key].pk, phone="").update(phone=phone)
        people[key].refresh_from_db(fields=["phone"])
    for key, choices in DEMO_NOTICE_CHOICES.items():
        for kind, channels in choices.items():
            NoticePreference.objects.get_or_create(person=people[key], kind=kind, defaults=channels)
