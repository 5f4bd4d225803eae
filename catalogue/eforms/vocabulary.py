"""The words of an e-form definition: field types, the keys a field may have, and the limits."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

TEXT = "text"
LONG_TEXT = "long_text"
NUMBER = "number"
DATE = "date"
CHOICE = "choice"
CHECKBOX = "checkbox"
PERSONAL_CODE = "personal_code"
IBAN = "iban"
EMAIL = "email"
PHONE = "phone"
FILE = "file"

FIELD_TYPES: tuple[str, ...] = (
    TEXT,
    LONG_TEXT,
    NUMBER,
    DATE,
    CHOICE,
    CHECKBOX,
    PERSONAL_CODE,
    IBAN,
    EMAIL,
    PHONE,
    FILE,
)

FIELD_TYPE_LABELS = {
    TEXT: _("Text"),
    LONG_TEXT: _("Long text"),
    NUMBER: _("Number"),
    DATE: _("Date"),
    CHOICE: _("Choice"),
    CHECKBOX: _("Checkbox"),
    PERSONAL_CODE: _("Personal code"),
    IBAN: _("IBAN account number"),
    EMAIL: _("E-mail"),
    PHONE: _("Phone"),
    FILE: _("File"),
}

# Dates bounded relative to the day the form is filed (see the package docstring).
NOT_IN_FUTURE = "not_in_future"
NOT_IN_PAST = "not_in_past"
MAX_MONTHS_AGO = "max_months_ago"
MAX_MONTHS_AHEAD = "max_months_ahead"
RELATIVE_DATE_KEYS = (NOT_IN_FUTURE, NOT_IN_PAST, MAX_MONTHS_AGO, MAX_MONTHS_AHEAD)
MAX_MONTHS = 1200  # a hundred years

# The person a field is about: a personal code and a date of birth of one subject must agree;
# the personal code marked as the case subject is whom the case is about.
SUBJECT = "subject"
CASE_SUBJECT = "case_subject"

FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "label_lv",
        "label_en",
        "required",
        "help_lv",
        "help_en",
        "max_length",
        "min",
        "max",
        "choices",
        "allowed_extensions",
        "max_size_kb",
        SUBJECT,
        CASE_SUBJECT,
        *RELATIVE_DATE_KEYS,
    }
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
SUBJECT_RE = NAME_RE
EXTENSION_RE = re.compile(r"^\.[a-z0-9]{1,10}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}$")

MAX_FIELDS = 100
DEFAULT_MAX_LENGTH = {TEXT: 200, LONG_TEXT: 4000}
MAX_MAX_LENGTH = 20000
DEFAULT_ALLOWED_EXTENSIONS = [".pdf", ".jpg", ".jpeg", ".png"]
DEFAULT_MAX_SIZE_KB = 5120
MAX_MAX_SIZE_KB = 10240  # 10 MB: a request stops at MAX_UPLOAD_BYTES (12 MB), before it is read
MAX_RAW_LENGTH = 20000  # any submitted value longer than this is refused before parsing

# The first bytes of the file types we know; a file whose extension is listed here must start so.
MAGIC_BYTES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}

CHECKBOX_TRUE = {"on", "true", "1", "yes", "jā", "ja"}
CHECKBOX_FALSE = {"", "off", "false", "0", "no", "nē", "ne"}

# What a citizen may type into a date field: ISO, and the Latvian way (with or without the final dot).
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.")
