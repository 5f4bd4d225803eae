"""Checking a submitted e-form against its definition, and reading whom the case is about."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from kernel.identifiers import birth_date_from_personal_code, normalise_personal_code

from .dates import date_refusal, date_shown, parse_date
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
    FILE,
    IBAN,
    LONG_TEXT,
    MAGIC_BYTES,
    MAX_RAW_LENGTH,
    NUMBER,
    PERSONAL_CODE,
    PHONE,
    PHONE_RE,
    SUBJECT,
    TEXT,
)


@dataclass
class EFormResult:
    cleaned: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _raw(data: Mapping[str, Any], name: str) -> Any:
    value = data.get(name)
    if isinstance(value, list | tuple):  # a plain dict carrying a list, as QueryDict.lists() would
        value = value[-1] if value else None
    return value


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool | int | float | Decimal):
        return str(raw)
    if not isinstance(raw, str):
        raise ValidationError(gettext("Enter text."))
    return raw.replace("\r\n", "\n").strip()


def _clean_text(f: dict, value: str, today: datetime.date) -> str:
    if "\x00" in value:
        raise ValidationError(gettext("The text contains characters that are not allowed."))
    if f["type"] == TEXT and "\n" in value:
        value = " ".join(value.split())
    limit = f.get("max_length", DEFAULT_MAX_LENGTH[f["type"]])
    if len(value) > limit:
        raise ValidationError(
            gettext("Enter at most %(limit)s characters (you entered %(count)s).")
            % {"limit": limit, "count": len(value)}
        )
    return value


def _clean_number(f: dict, value: str, today: datetime.date) -> str:
    compact = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if len(compact) > 30:
        raise ValidationError(gettext("Enter a number."))
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise ValidationError(gettext("Enter a number.")) from None
    if not number.is_finite():
        raise ValidationError(gettext("Enter a number."))
    if f.get("min") is not None and number < Decimal(str(f["min"])):
        raise ValidationError(gettext("Enter a number not less than %(min)s.") % {"min": f["min"]})
    if f.get("max") is not None and number > Decimal(str(f["max"])):
        raise ValidationError(gettext("Enter a number not greater than %(max)s.") % {"max": f["max"]})
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _clean_date(f: dict, value: str, today: datetime.date) -> str:
    parsed = parse_date(value)
    if parsed is None:
        raise ValidationError(gettext("Enter a date as YYYY-MM-DD (for example 2024-05-31)."))
    refusal = date_refusal(f, parsed, today=today)
    if refusal:
        raise ValidationError(refusal)
    return parsed.isoformat()


def _clean_choice(f: dict, value: str, today: datetime.date) -> str:
    if value not in {str(c["value"]) for c in f.get("choices", [])}:
        raise ValidationError(gettext("Select one of the offered choices."))
    return value


def _clean_personal_code(f: dict, value: str, today: datetime.date) -> str:
    return normalise_personal_code(value)


def _clean_iban(f: dict, value: str, today: datetime.date) -> str:
    try:
        return stdnum_iban.validate(value)
    except StdnumError:
        raise ValidationError(
            gettext("Enter a valid IBAN account number, e.g. LV80BANK0000435195001.")
        ) from None


def _clean_email(f: dict, value: str, today: datetime.date) -> str:
    if len(value) > 254:
        raise ValidationError(gettext("Enter a valid e-mail address."))
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(gettext("Enter a valid e-mail address.")) from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _clean_phone(f: dict, value: str, today: datetime.date) -> str:
    if not PHONE_RE.match(value):
        raise ValidationError(gettext("Enter a phone number, e.g. +371 20000000."))
    digits = re.sub(r"[^0-9]", "", value)
    if not 7 <= len(digits) <= 15:
        raise ValidationError(gettext("Enter a phone number, e.g. +371 20000000."))
    return ("+" if value.startswith("+") else "") + digits


def _clean_checkbox(f: dict, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in CHECKBOX_TRUE:
        return True
    if text in CHECKBOX_FALSE:
        return False
    raise ValidationError(gettext("Tick the box or leave it empty."))


def _check_file(f: dict, upload: Any) -> None:
    name = getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower()
    allowed = f.get("allowed_extensions") or DEFAULT_ALLOWED_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            gettext("This type of file is not accepted here; use %(types)s.") % {"types": ", ".join(allowed)}
        )
    limit_kb = f.get("max_size_kb") or DEFAULT_MAX_SIZE_KB
    size = getattr(upload, "size", None) or 0
    if size > limit_kb * 1024:
        raise ValidationError(
            gettext("The file is too big: at most %(limit)s kB is accepted.") % {"limit": limit_kb}
        )
    if size == 0:
        raise ValidationError(gettext("The file is empty."))
    magic = MAGIC_BYTES.get(extension)
    if magic:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if not any(head.startswith(m) for m in magic):
            raise ValidationError(
                gettext("The file's content does not match its type (%(type)s).") % {"type": extension}
            )


# Each takes the field, the submitted text and today's date, returns the JSON value or raises.
CLEANERS = {
    TEXT: _clean_text,
    LONG_TEXT: _clean_text,
    NUMBER: _clean_number,
    DATE: _clean_date,
    CHOICE: _clean_choice,
    PERSONAL_CODE: _clean_personal_code,
    IBAN: _clean_iban,
    EMAIL: _clean_email,
    PHONE: _clean_phone,
}


def _clean_field(f: dict, data: Mapping[str, Any], files: Mapping[str, Any], today, result) -> None:
    """Clean one field into `result` (cleaned value or accepted file); raise ValidationError."""
    name, kind = f["name"], f["type"]
    if kind == FILE:
        upload = files.get(name)
        if isinstance(upload, list | tuple):
            upload = upload[-1] if upload else None
        if not upload:
            if f.get("required"):
                raise ValidationError(gettext("Attach a file."))
            return
        _check_file(f, upload)
        result.files[name] = upload
        return
    raw = _raw(data, name)
    if kind == CHECKBOX:
        checked = _clean_checkbox(f, raw)
        if f.get("required") and not checked:
            raise ValidationError(gettext("Tick this box to continue."))
        result.cleaned[name] = checked
        return
    value = _text(raw)
    if len(value) > MAX_RAW_LENGTH:
        raise ValidationError(gettext("The value is too long."))
    if value == "":
        if f.get("required"):
            raise ValidationError(gettext("This field is required."))
        return
    result.cleaned[name] = CLEANERS[kind](f, value, today)


def _subject_fields(definition: list[dict]) -> dict[str, dict[str, str]]:
    """{subject: {"personal_code": field name, "date": field name}} of a (valid) definition."""
    subjects: dict[str, dict[str, str]] = {}
    for f in definition:
        if f.get(SUBJECT) and f["type"] in (PERSONAL_CODE, DATE):
            subjects.setdefault(f[SUBJECT], {})[f["type"]] = f["name"]
    return subjects


def _check_subjects_agree(definition: list[dict], result: EFormResult) -> None:
    """An old-format personal code carries its birth date: the subject's date field must match it."""
    for names in _subject_fields(definition).values():
        code_name, date_name = names.get(PERSONAL_CODE), names.get(DATE)
        code, given = result.cleaned.get(code_name), result.cleaned.get(date_name)
        if not code or not given:
            continue
        born = birth_date_from_personal_code(code)
        if born is not None and born.isoformat() != given:
            result.cleaned.pop(date_name)
            result.errors[date_name] = [
                gettext("This date does not match the date of birth in the personal code (%(date)s).")
                % {"date": date_shown(born)}
            ]


def eform_validate(
    *,
    definition: list[dict],
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
) -> EFormResult:
    """Check a submitted form against its definition.

    Returns an EFormResult: `.cleaned` (JSON-serialisable values of the non-file fields that were
    given or are checkboxes), `.files` (accepted uploads by field name), `.errors` (messages by
    field name, in the active language). Keys of `data` that the definition does not name are
    ignored. A required checkbox must be ticked (a consent). Dates bounded relative to today are
    checked against `timezone.localdate()`; the date of birth of a subject must agree with the
    subject's personal code (an error on the date field).
    """
    files = files or {}
    today = timezone.localdate()
    result = EFormResult()
    for f in definition:
        try:
            _clean_field(f, data, files, today, result)
        except ValidationError as error:
            result.cleaned.pop(f["name"], None)
            result.errors[f["name"]] = [str(m) for m in error.messages]
    _check_subjects_agree(definition, result)
    return result


def eform_case_subject(*, definition: list[dict], cleaned: Mapping[str, Any]) -> str | None:
    """The personal code of whom the case is about: the value of the field marked `case_subject`,
    normalised ("DDMMYY-NNNNN"); None when no field is marked or it holds no value.

    `cleaned` is an EFormResult's `.cleaned` (or a filed case's data); a value that is not a valid
    personal code raises ValidationError.
    """
    for f in definition:
        if f.get(CASE_SUBJECT) and f.get("type") == PERSONAL_CODE:
            value = cleaned.get(f["name"])
            return normalise_personal_code(value) if value else None
    return None
