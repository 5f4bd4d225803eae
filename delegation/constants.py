from django.db import models
from django.utils.translation import gettext_lazy as _


class PrincipalKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Basis(models.TextChoices):
    """Why a user may act for a principal (the values match requests_registry.constants.Basis)."""

    SELF = "self", _("For oneself")
    LEGAL_REPRESENTATION = "legal_representation", _("Legal representation")
    DELEGATION = "delegation", _("Delegation")


SESSION_ACTING_FOR_KEY = "delegation.acting_for"
