from django.db import models
from django.utils.translation import gettext_lazy as _

# the shared vocabulary, re-exported (one enumeration, defined in kernel)
from kernel.constants import ASSURANCE_ORDER as ASSURANCE_ORDER
from kernel.constants import AssuranceLevel as AssuranceLevel


class LoginMeans(models.TextChoices):
    EID_CARD = "eid_card", _("eID card")
    EPARAKSTS_MOBILE = "eparaksts_mobile", _("eParaksts mobile")
    INTERNET_BANK = "internet_bank", _("Internet bank")


LOGIN_MEANS_ASSURANCE = {
    LoginMeans.EID_CARD: AssuranceLevel.HIGH,
    LoginMeans.EPARAKSTS_MOBILE: AssuranceLevel.HIGH,
    LoginMeans.INTERNET_BANK: AssuranceLevel.SUBSTANTIAL,
}

SESSION_ASSURANCE_KEY = "assurance_level"
SESSION_LOGIN_MEANS_KEY = "login_means"


class StaffRoleKind(models.TextChoices):
    """Reg. 401 Annex 2: the kinds of access right, each fixed-term or permanent."""

    AGENCY_STAFF = "agency_staff", _("Agency staff member")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    CENTRE_SPECIALIST = "centre_specialist", _("One-stop centre specialist")
    CENTRE_ADMIN = "centre_admin", _("One-stop centre administrator")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# The kinds scoped to an agency, to a one-stop centre, and to neither.
AGENCY_ROLES = {StaffRoleKind.AGENCY_STAFF, StaffRoleKind.AGENCY_ADMIN}
CENTRE_ROLES = {StaffRoleKind.CENTRE_SPECIALIST, StaffRoleKind.CENTRE_ADMIN}
PLATFORM_ROLES = {StaffRoleKind.PLATFORM_ADMIN}
# The kinds that grant and revoke roles (each within its own scope).
ADMIN_ROLES = {StaffRoleKind.AGENCY_ADMIN, StaffRoleKind.CENTRE_ADMIN, StaffRoleKind.PLATFORM_ADMIN}


# --- contact details and notice choices (issue 11, item 5) -----------------------------------------


class PreferredLanguage(models.TextChoices):
    """The language of a person's notices and messages (the pages follow the switch in the header)."""

    LV = "lv", _("Latvian")
    EN = "en", _("English")


class NoticeKind(models.TextChoices):
    """What a notice is about: the person chooses the channels of each kind."""

    CASE_STATUS = "case_status", _("Status changes of my cases")
    MESSAGE = "message", _("New messages")
    RESULT = "result", _("Results of my cases")
    PAYMENT_DUE = "payment_due", _("Payments due")
    REMINDER = "reminder", _("Reminders")
    PROACTIVE_OFFER = "proactive_offer", _("Proactive offers of services")


class NoticeChannel(models.TextChoices):
    """Where a notice goes. The e-account always gets it; e-mail and SMS are the person's choice."""

    E_ACCOUNT = "e_account", _("E-account")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


# Concept 4.4.2.8: reminders and proactive offers go only to the e-account until the person opts in.
OPT_IN_NOTICE_KINDS = frozenset({NoticeKind.REMINDER, NoticeKind.PROACTIVE_OFFER})
# A kind nobody chose for yet: the e-account and e-mail, except the opt-in kinds (the e-account only).
NOTICE_DEFAULT_CHANNELS = {
    kind: frozenset({NoticeChannel.E_ACCOUNT})
    if kind in OPT_IN_NOTICE_KINDS
    else frozenset({NoticeChannel.E_ACCOUNT, NoticeChannel.EMAIL})
    for kind in NoticeKind
}

# How long the link that confirms a new e-mail address works.
EMAIL_CONFIRMATION_HOURS = 48
# A second confirmation mail to the same address is sent no sooner than this (no mail bombing).
EMAIL_CONFIRMATION_RESEND_SECONDS = 60
