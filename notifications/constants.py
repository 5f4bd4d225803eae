"""The notifications' vocabulary: delivery states, and the channels and notice kinds (eaccount's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eaccount.constants import NoticeChannel as NoticeChannel
from eaccount.constants import NoticeKind as NoticeKind


class NotificationState(models.TextChoices):
    """GOV.UK Notify's states: created → sending → delivered | temporary_failure | permanent_failure |
    technical_failure. "sending": handed to a gateway that reports delivery later (a receipt)."""

    CREATED = "created", _("Waiting to be sent")
    SENDING = "sending", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Could not be delivered")
    TECHNICAL_FAILURE = "technical_failure", _("Technical failure")


# the states a delivery task may still send from
STATES_TO_SEND = (NotificationState.CREATED, NotificationState.TEMPORARY_FAILURE)
