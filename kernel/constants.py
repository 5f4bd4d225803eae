"""The enumerations every app shares: channels, bases of acting for someone, parties, assurance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a case or a consultation came in (the catalogue's channels use the same codes)."""

    E_SERVICE = "e_service", _("Online e-service")
    VPVKAC = "vpvkac", _("One-stop client service centre")
    AGENCY = "agency", _("At the agency")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")


# Channels on which the e-form is filled in and validated.
EFORM_CHANNELS = frozenset({Channel.E_SERVICE, Channel.VPVKAC})


class Basis(models.TextChoices):
    """On what grounds an actor acts for the principal."""

    SELF = "self", _("For oneself")
    LEGAL_REPRESENTATION = "legal_representation", _("Legal representation")
    DELEGATION = "delegation", _("Delegation")
    AUTHORISED_FILING = "authorised_filing", _("Authorised e-service (filed by a centre specialist)")
    AGENCY_REGISTRATION = "agency_registration", _("Registered by the agency")


# The bases on which a logged-in person acts for a principal from their own e-account.
PERSONAL_BASES = frozenset({Basis.SELF, Basis.LEGAL_REPRESENTATION, Basis.DELEGATION})


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class AssuranceLevel(models.TextChoices):
    """eIDAS levels of assurance, ordered low < substantial < high."""

    LOW = "low", _("low")
    SUBSTANTIAL = "substantial", _("substantial")
    HIGH = "high", _("high")


ASSURANCE_ORDER = {AssuranceLevel.LOW: 1, AssuranceLevel.SUBSTANTIAL: 2, AssuranceLevel.HIGH: 3}


def assurance_at_least(level: str | None, minimum: str) -> bool:
    if not level:
        return False
    return ASSURANCE_ORDER[AssuranceLevel(level)] >= ASSURANCE_ORDER[AssuranceLevel(minimum)]
