"""Parties with contact choices, for the notifications' tests (the models are eaccount's)."""

from eaccount.models import NoticePreference
from eaccount.tests.factories import PersonFactory

MOBILE = "+37120000001"


def person_choosing(*, by_email: bool = True, by_sms: bool = False, kind: str = "case_status", **fields):
    """A person with a confirmed e-mail address and a mobile number, who chose these channels."""
    fields.setdefault("phone", MOBILE)
    person = PersonFactory(**fields)
    NoticePreference.objects.create(person=person, kind=kind, email=by_email, sms=by_sms)
    return person
