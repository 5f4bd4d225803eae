from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    STATE = "state", _("State institution")
    MUNICIPALITY = "municipality", _("Municipality")


class Audience(models.TextChoices):
    PERSON = "person", _("Private persons")
    ORGANISATION = "organisation", _("Organisations")


class PaymentMode(models.TextChoices):
    NONE = "none", _("Free of charge")
    PREPAYMENT = "prepayment", _("Prepayment")
    POSTPAYMENT = "postpayment", _("Payment after the service")


class ServiceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SERVICE_CODE_REGEX = r"^[0-9]{4,6}$"
