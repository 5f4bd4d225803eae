"""E-form definitions: the format, its validation, and the validation of a submitted form.

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
    }

`eform_definition_validate(definition)` checks and normalises a definition (raises ValidationError).
`eform_validate(definition=..., data=..., files=...)` checks a submission and returns an EFormResult
whose `.cleaned` holds JSON-serialisable values (dates as ISO strings, numbers as decimal strings,
checkboxes as booleans, personal codes as "DDMMYY-NNNNN", IBANs compact upper case) and whose
`.files` holds the accepted UploadedFile objects by field name. Nothing here touches the database.
"""

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
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from kernel.identifiers import normalise_personal_code

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
    }
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
EXTENSION_RE = re.compile(r"^\.[a-z0-9]{1,10}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}$")

MAX_FIELDS = 100
DEFAULT_MAX_LENGTH = {TEXT: 200, LONG_TEXT: 4000}
MAX_MAX_LENGTH = 20000
DEFAULT_ALLOWED_EXTENSIONS = [".pdf", ".jpg", ".jpeg", ".png"]
DEFAULT_MAX_SIZE_KB = 5120
MAX_MAX_SIZE_KB = 51200
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


# --- rendering helpers ------------------------------------------------------------------------


def _pick(obj: Mapping[str, Any], key: str) -> str:
    lv = obj.get(f"{key}_lv") or ""
    en = obj.get(f"{key}_en") or ""
    return en if (get_language() or "").startswith("en") and en else lv


def eform_field_label(field: Mapping[str, Any]) -> str:
    """The field's label in the active language (Latvian when there is no English)."""
    return _pick(field, "label") or str(field.get("name", ""))


def eform_help(field: Mapping[str, Any]) -> str:
    """The field's help text in the active language (may be empty)."""
    return _pick(field, "help")


def eform_choice_label(field: Mapping[str, Any], value: Any) -> str:
    for choice in field.get("choices") or []:
        if str(choice.get("value")) == str(value):
            return _pick(choice, "label") or str(value)
    return str(value)


def eform_display(*, definition: list[dict], cleaned: Mapping[str, Any]) -> list[dict]:
    """Label/value pairs of stored form data, in the definition's order, for showing a filed form."""
    rows = []
    for f in definition:
        name = f.get("name")
        if name not in cleaned:
            continue
        value = cleaned[name]
        if f.get("type") == CHOICE:
            shown = eform_choice_label(f, value)
        elif f.get("type") == CHECKBOX:
            shown = gettext("Yes") if value else gettext("No")
        else:
            shown = "" if value is None else str(value)
        rows.append({"name": name, "type": f.get("type"), "label": eform_field_label(f), "value": shown})
    return rows


# --- the definition ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if isinstance(value, str):
        try:
            return Decimal(value).is_finite()
        except InvalidOperation:
            return False
    return False


def _positive_int(value: Any, upper: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= upper


def _iso_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _check_field(index: int, f: Any, errors: list[str]) -> dict | None:  # noqa: C901 - one flat check list
    where = gettext("Field %(number)s") % {"number": index + 1}
    if not isinstance(f, Mapping):
        errors.append(gettext("%(where)s is not an object.") % {"where": where})
        return None
    name = f.get("name")
    if not isinstance(name, str) or not name:
        errors.append(gettext("%(where)s has no name.") % {"where": where})
        return None
    where = gettext("Field “%(name)s”") % {"name": name}
    if not NAME_RE.match(name):
        errors.append(
            gettext(
                "%(where)s: a name starts with a small Latin letter and has only small letters, "
                "digits and underscores (at most 50)."
            )
            % {"where": where}
        )
    unknown = sorted(set(f) - FIELD_KEYS)
    if unknown:
        errors.append(
            gettext("%(where)s: unknown keys %(keys)s.") % {"where": where, "keys": ", ".join(unknown)}
        )
    kind = f.get("type")
    if kind not in FIELD_TYPES:
        errors.append(
            gettext("%(where)s: unknown field type “%(type)s”; use one of %(types)s.")
            % {"where": where, "type": kind, "types": ", ".join(FIELD_TYPES)}
        )
        return None
    out: dict[str, Any] = {"name": name, "type": kind}
    for key in ("label_lv", "label_en", "help_lv", "help_en"):
        value = f.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > 1000:
            errors.append(gettext("%(where)s: “%(key)s” must be text.") % {"where": where, "key": key})
            value = ""
        out[key] = value.strip()
    if not out["label_lv"]:
        errors.append(gettext("%(where)s needs a Latvian label.") % {"where": where})
    required = f.get("required", False)
    if not isinstance(required, bool):
        errors.append(gettext("%(where)s: “required” must be true or false.") % {"where": where})
        required = False
    out["required"] = required

    def refuse_key(key: str) -> None:
        if f.get(key) not in (None, "", []):
            errors.append(
                gettext("%(where)s: “%(key)s” does not apply to a %(type)s field.")
                % {"where": where, "key": key, "type": kind}
            )

    if kind in (TEXT, LONG_TEXT):
        max_length = f.get("max_length", DEFAULT_MAX_LENGTH[kind])
        if not _positive_int(max_length, MAX_MAX_LENGTH):
            errors.append(
                gettext("%(where)s: the maximum length must be a whole number from 1 to %(limit)s.")
                % {"where": where, "limit": MAX_MAX_LENGTH}
            )
        else:
            out["max_length"] = max_length
    else:
        refuse_key("max_length")

    if kind == NUMBER:
        for key in ("min", "max"):
            if f.get(key) is not None:
                if not _is_number(f[key]):
                    errors.append(
                        gettext("%(where)s: “%(key)s” must be a number.") % {"where": where, "key": key}
                    )
                else:
                    out[key] = (
                        str(Decimal(str(f[key])).normalize()) if not isinstance(f[key], int) else f[key]
                    )
        if "min" in out and "max" in out and Decimal(str(out["min"])) > Decimal(str(out["max"])):
            errors.append(gettext("%(where)s: the minimum is greater than the maximum.") % {"where": where})
    elif kind == DATE:
        for key in ("min", "max"):
            if f.get(key) is not None:
                if _iso_date(f[key]) is None:
                    errors.append(
                        gettext("%(where)s: “%(key)s” must be a date as YYYY-MM-DD.")
                        % {"where": where, "key": key}
                    )
                else:
                    out[key] = f[key]
        if "min" in out and "max" in out and _iso_date(out["min"]) > _iso_date(out["max"]):
            errors.append(gettext("%(where)s: the earliest date is after the latest.") % {"where": where})
    else:
        refuse_key("min")
        refuse_key("max")

    if kind == CHOICE:
        choices = f.get("choices")
        if not isinstance(choices, list) or not choices:
            errors.append(gettext("%(where)s: a choice field needs a list of choices.") % {"where": where})
        else:
            seen: set[str] = set()
            clean_choices = []
            for choice in choices:
                value = choice.get("value") if isinstance(choice, Mapping) else None
                if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
                    errors.append(gettext("%(where)s: every choice needs a value.") % {"where": where})
                    continue
                value = str(value)
                if value in seen:
                    errors.append(
                        gettext("%(where)s: the choice “%(value)s” is listed twice.")
                        % {"where": where, "value": value}
                    )
                seen.add(value)
                label_lv = choice.get("label_lv") or ""
                if not isinstance(label_lv, str) or not label_lv.strip():
                    errors.append(
                        gettext("%(where)s: the choice “%(value)s” needs a Latvian label.")
                        % {"where": where, "value": value}
                    )
                    label_lv = ""
                label_en = choice.get("label_en") or ""
                clean_choices.append(
                    {"value": value, "label_lv": label_lv.strip(), "label_en": str(label_en).strip()}
                )
            out["choices"] = clean_choices
    else:
        refuse_key("choices")

    if kind == FILE:
        extensions = f.get("allowed_extensions", DEFAULT_ALLOWED_EXTENSIONS)
        if (
            not isinstance(extensions, list)
            or not extensions
            or not all(isinstance(e, str) and EXTENSION_RE.match(e.lower()) for e in extensions)
        ):
            errors.append(
                gettext('%(where)s: allowed extensions must be a list like [".pdf", ".jpg"].')
                % {"where": where}
            )
        else:
            out["allowed_extensions"] = list(dict.fromkeys(e.lower() for e in extensions))
        max_size_kb = f.get("max_size_kb", DEFAULT_MAX_SIZE_KB)
        if not _positive_int(max_size_kb, MAX_MAX_SIZE_KB):
            errors.append(
                gettext("%(where)s: the maximum size must be a whole number of kB from 1 to %(limit)s.")
                % {"where": where, "limit": MAX_MAX_SIZE_KB}
            )
        else:
            out["max_size_kb"] = max_size_kb
    else:
        refuse_key("allowed_extensions")
        refuse_key("max_size_kb")
    return out


def eform_definition_validate(definition: Any) -> list[dict]:
    """Check an e-form definition; return it normalised (defaults filled in), or raise ValidationError.

    Refused: anything but a list of field objects, a missing or malformed name, a name used twice,
    an unknown type or key, a missing Latvian label, limits that are not numbers or contradict
    each other, a choice field without choices.
    """
    if isinstance(definition, str | bytes) or not isinstance(definition, list):
        raise ValidationError(gettext("An e-form definition is a list of fields."), code="eform_invalid")
    if len(definition) > MAX_FIELDS:
        raise ValidationError(
            gettext("An e-form may have at most %(limit)s fields.") % {"limit": MAX_FIELDS},
            code="eform_invalid",
        )
    errors: list[str] = []
    fields: list[dict] = []
    seen: set[str] = set()
    for index, f in enumerate(definition):
        checked = _check_field(index, f, errors)
        if checked is None:
            continue
        if checked["name"] in seen:
            errors.append(gettext("The field name “%(name)s” is used twice.") % {"name": checked["name"]})
        seen.add(checked["name"])
        fields.append(checked)
    if errors:
        raise ValidationError(errors, code="eform_invalid")
    return fields


# --- a submission -----------------------------------------------------------------------------


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


def _clean_text(f: dict, value: str) -> str:
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


def _clean_number(f: dict, value: str) -> str:
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


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.")


def _clean_date(f: dict, value: str) -> str:
    parsed = None
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
            break
        except ValueError:
            continue
    if parsed is None:
        raise ValidationError(gettext("Enter a date as YYYY-MM-DD (for example 2024-05-31)."))
    if f.get("min") and parsed < datetime.date.fromisoformat(f["min"]):
        raise ValidationError(gettext("Enter a date not earlier than %(min)s.") % {"min": f["min"]})
    if f.get("max") and parsed > datetime.date.fromisoformat(f["max"]):
        raise ValidationError(gettext("Enter a date not later than %(max)s.") % {"max": f["max"]})
    return parsed.isoformat()


def _clean_choice(f: dict, value: str) -> str:
    if value not in {str(c["value"]) for c in f.get("choices", [])}:
        raise ValidationError(gettext("Select one of the offered choices."))
    return value


def _clean_iban(f: dict, value: str) -> str:
    try:
        return stdnum_iban.validate(value)
    except StdnumError:
        raise ValidationError(
            gettext("Enter a valid IBAN account number, e.g. LV80BANK0000435195001.")
        ) from None


def _clean_email(f: dict, value: str) -> str:
    if len(value) > 254:
        raise ValidationError(gettext("Enter a valid e-mail address."))
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(gettext("Enter a valid e-mail address.")) from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _clean_phone(f: dict, value: str) -> str:
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


CLEANERS = {
    TEXT: _clean_text,
    LONG_TEXT: _clean_text,
    NUMBER: _clean_number,
    DATE: _clean_date,
    CHOICE: _clean_choice,
    PERSONAL_CODE: lambda f, value: normalise_personal_code(value),
    IBAN: _clean_iban,
    EMAIL: _clean_email,
    PHONE: _clean_phone,
}


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
    ignored. A required checkbox must be ticked (a consent).
    """
    files = files or {}
    result = EFormResult()
    for f in definition:
        name, kind = f["name"], f["type"]
        try:
            if kind == FILE:
                upload = files.get(name)
                if isinstance(upload, list | tuple):
                    upload = upload[-1] if upload else None
                if not upload:
                    if f.get("required"):
                        raise ValidationError(gettext("Attach a file."))
                    continue
                _check_file(f, upload)
                result.files[name] = upload
                continue
            raw = _raw(data, name)
            if kind == CHECKBOX:
                checked = _clean_checkbox(f, raw)
                if f.get("required") and not checked:
                    raise ValidationError(gettext("Tick this box to continue."))
                result.cleaned[name] = checked
                continue
            value = _text(raw)
            if len(value) > MAX_RAW_LENGTH:
                raise ValidationError(gettext("The value is too long."))
            if value == "":
                if f.get("required"):
                    raise ValidationError(gettext("This field is required."))
                continue
            result.cleaned[name] = CLEANERS[kind](f, value)
        except ValidationError as error:
            result.cleaned.pop(name, None)
            result.errors[name] = [str(m) for m in error.messages]
    return result
