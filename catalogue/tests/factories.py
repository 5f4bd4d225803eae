"""factory_boy factories of the catalogue, for this app's tests and every app above it.

    from catalogue.tests.factories import ServiceFactory
    service = ServiceFactory(e_service=True, agency=AgencyFactory(code="VSAA"))   # published, version 1

A published service gets its version 1 and its search text, as service_publish would give it.
`person_user(...)` makes a login with a Person, staff roles and board seats for the catalogue's
own tests without importing the apps above the catalogue (it goes through the user model's fields).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.lv import pvn

from catalogue.constants import ServiceState
from catalogue.models import (
    Agency,
    Category,
    Channel,
    LifeEvent,
    Service,
    ServiceCentre,
    ServiceChannel,
)
from catalogue.services import service_search_refresh, service_version_create

SIMPLE_EFORM = [
    {
        "name": "child_personal_code",
        "type": "personal_code",
        "label_lv": "Bērna personas kods",
        "label_en": "Child's personal code",
        "required": True,
    },
    {
        "name": "iban",
        "type": "iban",
        "label_lv": "Konta numurs",
        "label_en": "Account number",
        "required": True,
    },
    {
        "name": "comment",
        "type": "long_text",
        "label_lv": "Komentārs",
        "label_en": "Comment",
        "max_length": 500,
    },
]

CHANNEL_NAMES = {
    "e_service": ("E-pakalpojums portālā", "Online e-service"),
    "vpvkac": ("Klātienē VPVKAC", "At a one-stop centre"),
    "agency": ("Klātienē iestādē", "At the agency"),
    "phone": ("Pa tālruni", "By phone"),
    "post": ("Pa pastu", "By post"),
    "email": ("E-pastā", "By e-mail"),
}


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:04d}")
    name_lv = factory.LazyAttribute(lambda o: f"Iestāde {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    kind = "state"


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"VPVKAC-{n:04d}")
    name_lv = factory.LazyAttribute(lambda o: f"VPVKAC {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"One-stop centre {o.code}")
    municipality = factory.SubFactory(AgencyFactory, kind="municipality")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("code",)

    code = "e_service"
    name_lv = factory.LazyAttribute(lambda o: CHANNEL_NAMES.get(o.code, (o.code, o.code))[0])
    name_en = factory.LazyAttribute(lambda o: CHANNEL_NAMES.get(o.code, (o.code, o.code))[1])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_lv = factory.LazyAttribute(lambda o: f"Kategorija {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.slug}")
    parent = None


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"event_{n}")
    name_lv = factory.LazyAttribute(lambda o: f"Notikums {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Event {o.code}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published service (version 1); `e_service=True` gives it an e-form and the e_service channel.

    `channels=["agency", "post"]` picks channels; `life_events=[...]` links life events;
    `state="draft"` leaves it unpublished (no version).
    """

    class Meta:
        model = Service
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    class Params:
        e_service = factory.Trait(eform=factory.LazyFunction(lambda: [dict(f) for f in SIMPLE_EFORM]))

    code = factory.Sequence(lambda n: f"{50000 + n}")
    state = ServiceState.PUBLISHED
    title_lv = factory.Sequence(lambda n: f"Pakalpojums numur {n}")
    title_en = factory.Sequence(lambda n: f"Service number {n}")
    agency = factory.SubFactory(AgencyFactory)
    audience = "person"
    processing_days = 10
    eform = factory.LazyFunction(list)

    @factory.post_generation
    def channels(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else (["e_service", "vpvkac"] if obj.eform else ["agency"])
        for code in codes:
            ServiceChannel.objects.get_or_create(service=obj, channel=ChannelFactory(code=code))

    @factory.post_generation
    def life_events(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.life_events.set(extracted)

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if not create:
            return
        if obj.state == ServiceState.PUBLISHED and not obj.versions.exists():
            service_version_create(service=obj)
        service_search_refresh(service_ids=[obj.pk])
        obj.refresh_from_db()


# --- users without importing the e-account -----------------------------------------------------------

_serials = itertools.count(1)


def personal_code_next() -> str:
    """A valid, unique old-format personal code."""
    n = next(_serials)
    born = date(1960, 1, 1) + timedelta(days=(n * 53) % 15000)
    body = f"{born:%d%m%y}1{n % 1000:03d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


def personal_code_born(day: date, serial: int = 123) -> str:
    """A valid old-format personal code of someone born on `day` (1800-2099)."""
    body = f"{day:%d%m%y}{day.year // 100 - 18}{serial % 1000:03d}"
    return f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}"


def _registration_number_next() -> str:
    while True:
        body = f"4001{next(_serials) % 1_000_000:06d}"
        check = (3 - pvn.checksum(body + "0")) % 11
        if check < 10:
            return body + str(check)


def person_user(
    *,
    role: str | None = None,
    agency: Agency | None = None,
    municipality: Agency | None = None,
    board_member: bool = False,
    superuser: bool = False,
):
    """A user with a Person (in `municipality`), an optional active staff role and an optional board seat."""
    User = get_user_model()
    Person = User._meta.get_field("person").related_model
    code = personal_code_next()
    person = Person.objects.create(
        personal_code=code, first_name="Test", last_name=f"Lietotājs {code[-5:]}", municipality=municipality
    )
    user = User.objects.create(username=code, person=person, is_superuser=superuser, is_staff=superuser)
    if role:
        user.staff_roles.create(  # a role for a term: every role has an end date or is marked permanent
            kind=role,
            agency=agency if role in ("agency_admin", "agency_staff") else None,
            valid_until=timezone.now() + timedelta(days=365),
        )
    if board_member:
        Membership = person.board_memberships.model
        Organisation = Membership._meta.get_field("organisation").related_model
        organisation = Organisation.objects.create(
            registration_number=_registration_number_next(), name="SIA Tests"
        )
        person.board_memberships.create(organisation=organisation, position="Valdes loceklis")
    return user
