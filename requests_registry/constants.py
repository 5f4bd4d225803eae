"""States, the transitions map, and the other choices of the request registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# the shared vocabulary, re-exported (one enumeration each, defined in kernel)
from kernel.constants import EFORM_CHANNELS as EFORM_CHANNELS
from kernel.constants import Basis as Basis
from kernel.constants import Channel as Channel


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_INFO = "needs_info", _("Information requested")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = CaseStatus

# The status pipeline as data: from -> the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    # a prepaid service's case waits for the payment from submission (the payments app moves it)
    S.SUBMITTED: frozenset({S.REGISTERED, S.AWAITING_PAYMENT, S.REJECTED, S.WITHDRAWN}),
    S.REGISTERED: frozenset({S.IN_PROGRESS, S.REJECTED, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.NEEDS_INFO, S.AWAITING_PAYMENT, S.COMPLETED, S.REJECTED}),
    S.NEEDS_INFO: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    # paid: back to where it came from (registered after submission, in progress otherwise)
    S.AWAITING_PAYMENT: frozenset({S.REGISTERED, S.IN_PROGRESS, S.COMPLETED, S.REJECTED}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN_STATUSES = frozenset(CaseStatus.values) - FINAL_STATUSES

# The client may withdraw only before the agency starts the work (before in_progress). The map still
# lets the agency record a withdrawal from needs_info (e.g. the client said so on the phone).
CLIENT_WITHDRAWABLE = frozenset({S.SUBMITTED, S.REGISTERED})

del S


CASE_NUMBER_REGEX = r"^[0-9]{4,6}-[0-9]{7}$"
CASE_SEQUENCE_DIGITS = 7


class CaseFileKind(models.TextChoices):
    APPLICATION = "application", _("Attached to the application")
    CLIENT_ANSWER = "client_answer", _("Client's answer")
    SCANNED = "scanned", _("Paper document scanned at a one-stop centre")
    RESULT = "result", _("Result document")
    INTERNAL = "internal", _("Internal")


class ConsultationOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred to the agency")
    CASE_FILED = "case_filed", _("A case was filed")
    FOLLOW_UP = "follow_up", _("Follow-up needed")


FEEDBACK_MIN = 1
FEEDBACK_MAX = 5
FEEDBACK_COMMENT_LIMIT = 2000
