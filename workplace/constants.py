"""The workplace's vocabulary: how a client's identity was checked, why a profile was opened, the
steps of the authorised e-service, hand-over targets and states, and the audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitChannel(models.TextChoices):
    """How the client is served: at the centre's desk or on the phone (kernel.constants.Channel codes)."""

    IN_PERSON = "vpvkac", _("In person at the centre")
    PHONE = "phone", _("Phone")


class IdentityCheck(models.TextChoices):
    """How the specialist made sure who the client is (concept 4.4.2.4), before anything is shown."""

    DOCUMENT = "document", _("Identity document shown")
    KNOWN_IN_PERSON = "known", _("Known to the specialist in person")
    PROFILE_QUESTIONS = "questions", _("Questions answered from the profile (phone)")


class IdentityDocument(models.TextChoices):
    ID_CARD = "id_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class ProfilePurpose(models.TextChoices):
    """Why a specialist opens a client's profile: shown to the client in "who looked at my data"."""

    CLIENT_REQUEST = "client_request", _("The client asked for help at the centre")
    CASE = "case", _("Processing of a case")
    CONSULTATION = "consultation", _("Consultation of the client")
    AUTHORISED_FILING = "authorised_filing", _("Filing an e-service under the client's authorisation")


class ResultNotice(models.TextChoices):
    """Point 22.1.7: whether and how the client of an authorised e-service is told the result."""

    EMAIL = "email", _("By e-mail")
    SMS = "sms", _("By SMS")
    POST = "post", _("By post")
    NONE = "none", _("Not to be told")


class FilingStep(models.IntegerChoices):
    """Reg. 401 point 22.1, in order: each step only after the one before."""

    IDENTITY = 1, _("The client's identity is checked")
    SPECIALIST = 2, _("The specialist is identified with a qualified eID")
    AUTHORISATION = 3, _("The client is informed and signs the written authorisation")
    FORM = 4, _("Only the data the service needs is entered")
    FILE = 5, _("The e-service is filed")
    PLANNED_DATE = 6, _("The client is told the planned completion date")
    RESULT_NOTICE = 7, _("The client chooses how to be told the result")
    DONE = 8, _("Done")


class HandoverTarget(models.TextChoices):
    COLLEAGUE = "colleague", _("A colleague")
    CENTRE = "centre", _("The centre")
    SECOND_LEVEL = "second_level", _("A second-level specialist (the agency)")
    AGENCY = "agency", _("The agency's staff")


class HandoverState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")


class EscalationReason(models.TextChoices):
    LATE = "late", _("Past its planned completion date")
    UNRESOLVED = "unresolved", _("Consultation not resolved")


class WorkplaceAction(models.TextChoices):
    """The audit events of the workplace, by their translated names."""

    VISIT_START = "workplace.visit_start", _("Client service started")
    VISIT_END = "workplace.visit_end", _("Client service ended")
    PROFILE_VIEW = "workplace.profile_view", _("Client profile viewed")
    FILING_START = "workplace.filing_start", _("Authorised e-service started")
    FILING_SPECIALIST = "workplace.filing_specialist", _("Specialist identified with a qualified eID")
    FILING_REFUSED = "workplace.filing_refused", _("Authorised e-service refused")
    FILING_AUTHORISATION = "workplace.filing_authorisation", _("Written authorisation printed")
    FILING_SIGNED = "workplace.filing_signed", _("Written authorisation signed")
    FILING_FORM = "workplace.filing_form", _("Authorised e-service data entered")
    FILING_FILED = "workplace.filing_filed", _("Authorised e-service filed")
    FILING_PLANNED_DATE = "workplace.filing_planned_date", _("Planned completion date told")
    FILING_RESULT_NOTICE = "workplace.filing_result_notice", _("Result notice chosen")
    FILING_RESULT_TOLD = "workplace.filing_result_told", _("Result of an authorised e-service told")
    PAPER_CASE = "workplace.paper_case", _("Application received on paper registered")
    HANDOVER = "workplace.handover", _("Handed over")
    HANDOVER_ACCEPT = "workplace.handover_accept", _("Hand-over accepted")
    ESCALATION = "workplace.escalation", _("Escalated to a supervisor")
    ESCALATION_REASSIGN = "workplace.escalation_reassign", _("Escalation reassigned")
