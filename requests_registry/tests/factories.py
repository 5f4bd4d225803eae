"""Factories of the request registry (and the catalogue rows it needs, where the catalogue has none).

service = ServiceFactory(agency=AgencyFactory(code="VSAA"))    # published, with an e-form and version 1
case = CaseFactory(service=service, client_person=person)       # submitted, with its first history row
"""

from __future__ import annotations

import datetime
import itertools
import struct

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue.tests import factories as catalogue_factories
from eaccount.tests.factories import (  # noqa: F401 - re-exported for the tests
    AgencyFactory,
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    personal_code_for,
)
from requests_registry.constants import Basis, CaseStatus, Channel
from requests_registry.models import Case, StatusChange

EFORM = [
    {
        "name": "child_personal_code",
        "type": "personal_code",
        "label_lv": "Bērna personas kods",
        "label_en": "Child's personal code",
        "required": True,
        "help_lv": "Piemēram, 030718-23455.",
        "help_en": "For example 030718-23455.",
    },
    {
        "name": "child_birth_date",
        "type": "date",
        "label_lv": "Bērna dzimšanas datums",
        "label_en": "Child's date of birth",
        "required": True,
        "min": "1990-01-01",
    },
    {
        "name": "document",
        "type": "file",
        "label_lv": "Dokuments",
        "label_en": "Document",
        "required": False,
        "allowed_extensions": [".pdf", ".png"],
        "max_size_kb": 10,
    },
    {
        "name": "comment",
        "type": "long_text",
        "label_lv": "Komentārs",
        "label_en": "Comment",
        "max_length": 200,
    },
    {
        "name": "consent",
        "type": "checkbox",
        "label_lv": "Apliecinu, ka dati ir patiesi",
        "label_en": "I confirm the data is true",
        "required": True,
    },
]

VALID_DATA = {
    "child_personal_code": "030718-23455",
    "child_birth_date": "2018-07-03",
    "comment": "Lūdzu",
    "consent": "on",
}

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\x00" * 17


def pdf_upload(name: str = "apliecība.pdf", size: int | None = None) -> SimpleUploadedFile:
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * max(0, size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ServiceFactory(**kwargs):  # noqa: N802 - used like the factory it wraps
    """The catalogue's ServiceFactory (a published person service, version 1), with the registry's
    test e-form unless `eform` is given: one factory per model, in the model's own app."""
    kwargs.setdefault("eform", [dict(f) for f in EFORM])
    return catalogue_factories.ServiceFactory(**kwargs)


_case_serials = itertools.count(5_000_001)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with its first history row, written directly (tests of services use the services)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    service = factory.LazyFunction(lambda: ServiceFactory())
    client_person = factory.SubFactory(PersonFactory)
    client_organisation = None
    basis = Basis.SELF
    channel = Channel.E_SERVICE
    status = CaseStatus.SUBMITTED
    data = factory.LazyFunction(lambda: dict(VALID_DATA))
    planned_completion = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))

    @factory.lazy_attribute
    def number(self):  # the service code in front, like real numbers
        return f"{self.service.code}-{next(_case_serials):07d}"

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            StatusChange.objects.create(case=obj, seq=1, from_status="", to_status=CaseStatus.SUBMITTED)
            if obj.status != CaseStatus.SUBMITTED:
                StatusChange.objects.create(
                    case=obj, seq=2, from_status=CaseStatus.SUBMITTED, to_status=obj.status
                )


def login(client, user, level: str = "high"):
    """Log `user` in on the Django test client with an assurance level in the session."""
    client.force_login(user)
    session = client.session
    session["assurance_level"] = level
    session.save()
    return user


def staff_of(agency, kind: str = "agency_staff"):
    return StaffRoleFactory(kind=kind, agency=agency).user


_newborn_serials = itertools.count(1)


def newborn_child_data(n: int | None = None) -> dict:
    """The 1011 childbirth benefit's e-form data for a child born a month ago (the e-form accepts
    a birth date of the last 12 months only); another child on each call unless `n` is given
    (1011 takes one open case per child)."""
    n = next(_newborn_serials) if n is None else n
    born = timezone.localdate() - datetime.timedelta(days=30)
    return {
        "child_personal_code": personal_code_for(n, born=born),
        "child_birth_date": born.isoformat(),
        "iban": "LV80BANK0000435195001",
    }
