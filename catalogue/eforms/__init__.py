"""E-form definitions: the format, its validation, the validation of a submitted form, and display.

A definition is an ordered list of field dicts (stored as JSON on Service.eform and, frozen,
on every ServiceVersion.eform, so a filed case keeps the form it was filed under):

    {
        "name": "child_personal_code",       # required; [a-z][a-z0-9_]*, unique in the form
        "type": "personal_code",             # one of FIELD_TYPES
        "label_lv": "Bērna personas kods",   # required
        "label_en": "Child's personal code", # optional (falls back to Latvian)
        "required": True,                    # default False
        "help_lv": "...", "help_en": "...",  # optional
        "max_length": 200,                   # text, long_text: characters
        "min": ..., "max": ...,              # number: numbers; date: ISO dates "YYYY-MM-DD"
        "choices": [{"value": "a", "label_lv": "...", "label_en": "..."}],  # choice: required
        "allowed_extensions": [".pdf", ".jpg"],  # file
        "max_size_kb": 5120,                 # file
        # date: limits relative to the day the form is filed (timezone.localdate())
        "not_in_future": True,               # the date is today or earlier
        "not_in_past": True,                 # the date is today or later
        "max_months_ago": 12,                # the date is at most 12 months before today
        "max_months_ahead": 6,               # the date is at most 6 months after today
        # personal_code and date: the person the field is about
        "subject": "child",                  # a personal code and a date with one subject are that
                                             # person's code and date of birth; they must agree
        "case_subject": True,                # personal_code only, one per form, must be required:
                                             # the person the case is about (eform_case_subject)
    }

A subject has exactly one personal-code field and one date field. The relative limits apply
together with `min`/`max`; `not_in_future` cannot be combined with `not_in_past` or
`max_months_ahead`, nor `not_in_past` with `max_months_ago`.

`eform_definition_validate(definition)` checks and normalises a definition (raises ValidationError).
`eform_validate(definition=..., data=..., files=...)` checks a submission and returns an EFormResult
whose `.cleaned` holds JSON-serialisable values (dates as ISO strings, numbers as decimal strings,
checkboxes as booleans, personal codes as "DDMMYY-NNNNN", IBANs compact upper case) and whose
`.files` holds the accepted UploadedFile objects by field name. Nothing here touches the database.
`eform_case_subject(definition=..., cleaned=...)` is the personal code the case is about, or None.
`eform_date_bounds(field)` is a date field's earliest and latest accepted day (for an input's min/max).

Modules: `vocabulary` (types, keys, limits), `definition` (checking a definition), `submission`
(checking a filed form), `dates` (date limits and showing dates), `display` (labels, filed values),
`form` (the e-form as a Django form, `EForm`).
"""

from .dates import DATE_FORMATS, date_shown, eform_date_bounds
from .definition import eform_definition_validate
from .display import eform_choice_label, eform_display, eform_field_label, eform_help
from .form import EForm
from .submission import CLEANERS, EFormResult, eform_case_subject, eform_validate
from .vocabulary import (
    CASE_SUBJECT,
    CHECKBOX,
    CHECKBOX_FALSE,
    CHECKBOX_TRUE,
    CHOICE,
    DATE,
    DEFAULT_ALLOWED_EXTENSIONS,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_SIZE_KB,
    EMAIL,
    EXTENSION_RE,
    FIELD_KEYS,
    FIELD_TYPE_LABELS,
    FIELD_TYPES,
    FILE,
    IBAN,
    LONG_TEXT,
    MAGIC_BYTES,
    MAX_FIELDS,
    MAX_MAX_LENGTH,
    MAX_MAX_SIZE_KB,
    MAX_MONTHS,
    MAX_MONTHS_AGO,
    MAX_MONTHS_AHEAD,
    MAX_RAW_LENGTH,
    NAME_RE,
    NOT_IN_FUTURE,
    NOT_IN_PAST,
    NUMBER,
    PERSONAL_CODE,
    PHONE,
    PHONE_RE,
    RELATIVE_DATE_KEYS,
    SUBJECT,
    TEXT,
)

__all__ = [
    "EForm",
    "CASE_SUBJECT",
    "CHECKBOX",
    "CHECKBOX_FALSE",
    "CHECKBOX_TRUE",
    "CHOICE",
    "CLEANERS",
    "DATE",
    "DATE_FORMATS",
    "DEFAULT_ALLOWED_EXTENSIONS",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_SIZE_KB",
    "EFormResult",
    "EMAIL",
    "EXTENSION_RE",
    "FIELD_KEYS",
    "FIELD_TYPES",
    "FIELD_TYPE_LABELS",
    "FILE",
    "IBAN",
    "LONG_TEXT",
    "MAGIC_BYTES",
    "MAX_FIELDS",
    "MAX_MAX_LENGTH",
    "MAX_MAX_SIZE_KB",
    "MAX_MONTHS",
    "MAX_MONTHS_AGO",
    "MAX_MONTHS_AHEAD",
    "MAX_RAW_LENGTH",
    "NAME_RE",
    "NOT_IN_FUTURE",
    "NOT_IN_PAST",
    "NUMBER",
    "PERSONAL_CODE",
    "PHONE",
    "PHONE_RE",
    "RELATIVE_DATE_KEYS",
    "SUBJECT",
    "TEXT",
    "date_shown",
    "eform_case_subject",
    "eform_choice_label",
    "eform_date_bounds",
    "eform_definition_validate",
    "eform_display",
    "eform_field_label",
    "eform_help",
    "eform_validate",
]
