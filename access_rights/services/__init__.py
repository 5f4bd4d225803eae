"""Writes of access rights, by topic; each takes the Actor, is one transaction with its audit events,
and tells whom it concerns through notify().

- requests: Annex 2 requests to the ministry (submit, approve, refuse)
- staff: an admin grants and revokes their own staff's roles
- organisations: an agency with its payee, in one transaction
- reminders: the terms kept (warnings before a fixed term ends, roles unused for 90 days)
"""

from .organisations import agency_save
from .reminders import staff_roles_expiry_warn, staff_roles_inactive_review
from .requests import EntryData, access_request_approve, access_request_refuse, access_request_submit
from .staff import staff_grant, staff_revoke

__all__ = [
    "EntryData",
    "agency_save",
    "access_request_approve",
    "access_request_refuse",
    "access_request_submit",
    "staff_grant",
    "staff_revoke",
    "staff_roles_expiry_warn",
    "staff_roles_inactive_review",
]
