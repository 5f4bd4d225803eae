"""The vocabulary of access rights (Reg. 401 Annex 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eaccount.constants import StaffRoleKind


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the ministry")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AccessRequestAction(models.TextChoices):
    GRANT = "grant", _("Grant")
    REVOKE = "revoke", _("Revoke")


# Annex 2 asks the ministry for admin-level rights; an admin grants their own staff's roles themselves.
REQUESTABLE_KINDS = (StaffRoleKind.AGENCY_ADMIN, StaffRoleKind.CENTRE_ADMIN)

# A fixed-term role: its holder and their admin are told this many days before it ends (one notice each).
EXPIRY_WARNING_DAYS = (14, 3)
# A role whose holder has not logged in for this many days is listed to their admin for review (note 4).
INACTIVITY_REVIEW_DAYS = 90

# The signed request document (Annex 2 note 1).
REQUEST_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# How many employees one request names at most (the form offers this many rows).
REQUEST_ENTRIES_MAX = 5
