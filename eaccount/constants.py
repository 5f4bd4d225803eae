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
