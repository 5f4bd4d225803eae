"""The e-account's models by topic: `parties` (persons, organisations, register data), `users`
(logins, staff roles), `inbox` (messages and documents), `contacts` (e-mail addresses waiting for
confirmation, notice choices), `register` (identity documents' expiry, liquidations: what proactive
notices read)."""

from .contacts import NoticePreference, PendingEmail
from .inbox import Document, Message, _inbox_upload_to
from .parties import (
    PERSON_CODE_IS_ANOTHERS_CURRENT,
    PERSON_CODE_IS_ANOTHERS_PREVIOUS,
    PERSON_CODE_IS_OWN_CURRENT,
    BoardMembership,
    Organisation,
    ParentChild,
    Person,
)
from .register import OrganisationLiquidation, RegisterDocument, RegisterDocumentKind
from .users import StaffRole, StaffRoleQuerySet, User

__all__ = [
    "PERSON_CODE_IS_ANOTHERS_CURRENT",
    "PERSON_CODE_IS_ANOTHERS_PREVIOUS",
    "PERSON_CODE_IS_OWN_CURRENT",
    "BoardMembership",
    "Document",
    "Message",
    "NoticePreference",
    "Organisation",
    "OrganisationLiquidation",
    "ParentChild",
    "PendingEmail",
    "Person",
    "RegisterDocument",
    "RegisterDocumentKind",
    "StaffRole",
    "StaffRoleQuerySet",
    "User",
    "_inbox_upload_to",  # named by migration 0002
]
