"""factory_boy factories of the e-account, for this app's tests and every app above it.

    from eaccount.tests.factories import PersonFactory, UserFactory, StaffRoleFactory
    user = UserFactory()                      # a login with its Person
    admin = StaffRoleFactory(kind="agency_admin", agency=AgencyFactory(code="VSAA")).user

Personal codes and registration numbers are generated valid (checksums included) and unique.
"""

import itertools
from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from stdnum.lv import pvn

from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.constants import StaffRoleKind
from eaccount.models import BoardMembership, Organisation, ParentChild, Person, StaffRole, User


def personal_code_for(n: int, *, born: date | None = None) -> str:
    """A valid old-format personal code `DDMMYY-CNNNK` (C the century digit, K the check digit);
    without `born`, of an adult born 1950–1999 (a minor only when a test asks for one)."""
    born = born or date(1950, 1, 1) + timedelta(days=(n * 37) % 18250)
    century = {18: "0", 19: "1", 20: "2"}[born.year // 100]
    body = f"{born:%d%m%y}{century}{n % 1000:03d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


def new_personal_code_for(n: int) -> str:
    """A valid new-format personal code `32NNNN-NNNNK` (no birth date in it)."""
    body = f"32{n % 100_000_000:08d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


_registration_numbers = itertools.count(1)


def registration_number_next() -> str:
    """A valid company registration number `4000NNNNNNK`, unique within the run."""
    while True:
        body = f"4000{next(_registration_numbers) % 1_000_000:06d}"
        check = (3 - pvn.checksum(body + "0")) % 11
        if check < 10:
            return body + str(check)


_personal_serials = itertools.count(100)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("personal_code",)

    class Params:
        born = None

    personal_code = factory.LazyAttribute(lambda o: personal_code_for(next(_personal_serials), born=o.born))
    first_name = factory.Iterator(["Anna", "Jānis", "Līga", "Kārlis", "Ilze", "Pēteris"])
    last_name = factory.Iterator(["Bērziņa", "Kalniņš", "Ozola", "Liepa", "Zariņš", "Krūmiņa"])
    birth_date = factory.LazyAttribute(
        lambda o: pvn.get_birth_date(o.personal_code) if not o.personal_code.startswith("32") else None
    )
    email = factory.LazyAttribute(lambda o: f"person{o.personal_code[-5:]}@example.lv")
    has_eid = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("registration_number",)

    registration_number = factory.LazyFunction(registration_number_next)
    name = factory.Sequence(lambda n: f"SIA Uzņēmums {n}")
    address = "Brīvības iela 1, Rīga"


class UserFactory(factory.django.DjangoModelFactory):
    """A login tied to a Person, with no usable password (identity comes from eID)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    person = factory.SubFactory(PersonFactory)
    username = factory.LazyAttribute(lambda o: o.person.personal_code)
    first_name = factory.LazyAttribute(lambda o: o.person.first_name)
    last_name = factory.LazyAttribute(lambda o: o.person.last_name)
    email = factory.LazyAttribute(lambda o: o.person.email)
    password = factory.LazyFunction(lambda: make_password(None))  # unusable: identity comes from eID


class ParentChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentChild

    parent = factory.SubFactory(PersonFactory)
    child = factory.SubFactory(PersonFactory, born=date(2018, 7, 3), has_eid=False)


class BoardMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMembership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Valdes loceklis"


class StaffRoleFactory(factory.django.DjangoModelFactory):
    """An agency staff role by default; pass kind= and agency=/centre= for the others.

    `StaffRoleFactory(kind="centre_specialist")` (or `"centre_admin"`) gets a centre,
    `kind="platform_admin"` neither. Permanent unless given a `valid_until`.
    """

    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    kind = StaffRoleKind.AGENCY_STAFF
    agency = factory.LazyAttribute(
        lambda o: (
            AgencyFactory() if o.kind in (StaffRoleKind.AGENCY_STAFF, StaffRoleKind.AGENCY_ADMIN) else None
        )
    )
    centre = factory.LazyAttribute(
        lambda o: (
            ServiceCentreFactory()
            if o.kind in (StaffRoleKind.CENTRE_SPECIALIST, StaffRoleKind.CENTRE_ADMIN)
            else None
        )
    )
    valid_until = None
    permanent = factory.LazyAttribute(lambda o: o.valid_until is None)
    revoked_at = None


__all__ = [
    "AgencyFactory",
    "BoardMembershipFactory",
    "OrganisationFactory",
    "ParentChildFactory",
    "PersonFactory",
    "ServiceCentreFactory",
    "StaffRoleFactory",
    "UserFactory",
    "new_personal_code_for",
    "personal_code_for",
    "registration_number_next",
]
