"""Checking an e-form definition: each field on its own, then the fields together (names, subjects)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .dates import iso_date
from .vocabulary import (
    CASE_SUBJECT,
    CHOICE,
    DATE,
    DEFAULT_ALLOWED_EXTENSIONS,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_SIZE_KB,
    EXTENSION_RE,
    FIELD_KEYS,
    FIELD_TYPES,
    FILE,
    LONG_TEXT,
    MAX_FIELDS,
    MAX_MAX_LENGTH,
    MAX_MAX_SIZE_KB,
    MAX_MONTHS,
    MAX_MONTHS_AGO,
    MAX_MONTHS_AHEAD,
    NAME_RE,
    NOT_IN_FUTURE,
    NOT_IN_PAST,
    NUMBER,
    PERSONAL_CODE,
    SUBJECT,
    SUBJECT_RE,
    TEXT,
)


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


class _FieldCheck:
    """One field being checked: its raw dict `f`, the normalised `out`, and the shared error list."""

    def __init__(self, f: Mapping[str, Any], kind: str, where: str, errors: list[str]):
        self.f, self.kind, self.where, self.errors = f, kind, where, errors
        self.out: dict[str, Any] = {"name": f["name"], "type": kind}

    def error(self, message: str, **params: Any) -> None:
        self.errors.append(message % {"where": self.where, **params})

    def refuse_key(self, key: str) -> None:
        value = self.f.get(key)
        unset = value is None or value is False or (isinstance(value, str | list) and not value)
        if not unset:
            self.error(
                gettext("%(where)s: “%(key)s” does not apply to a %(type)s field."), key=key, type=self.kind
            )

    def flag(self, key: str) -> bool:
        """An optional true/false key: kept only when true, so older definitions stay as they were."""
        value = self.f.get(key, False)
        if not isinstance(value, bool):
            self.error(gettext("%(where)s: “%(key)s” must be true or false."), key=key)
            return False
        if value:
            self.out[key] = True
        return value


def _check_texts(check: _FieldCheck) -> None:
    for key in ("label_lv", "label_en", "help_lv", "help_en"):
        value = check.f.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > 1000:
            check.error(gettext("%(where)s: “%(key)s” must be text."), key=key)
            value = ""
        check.out[key] = value.strip()
    if not check.out["label_lv"]:
        check.error(gettext("%(where)s needs a Latvian label."))
    required = check.f.get("required", False)
    if not isinstance(required, bool):
        check.error(gettext("%(where)s: “required” must be true or false."))
        required = False
    check.out["required"] = required


def _check_max_length(check: _FieldCheck) -> None:
    if check.kind not in (TEXT, LONG_TEXT):
        check.refuse_key("max_length")
        return
    max_length = check.f.get("max_length", DEFAULT_MAX_LENGTH[check.kind])
    if not _positive_int(max_length, MAX_MAX_LENGTH):
        check.error(
            gettext("%(where)s: the maximum length must be a whole number from 1 to %(limit)s."),
            limit=MAX_MAX_LENGTH,
        )
    else:
        check.out["max_length"] = max_length


def _check_number_limits(check: _FieldCheck) -> None:
    f, out = check.f, check.out
    for key in ("min", "max"):
        if f.get(key) is not None:
            if not _is_number(f[key]):
                check.error(gettext("%(where)s: “%(key)s” must be a number."), key=key)
            else:
                out[key] = str(Decimal(str(f[key])).normalize()) if not isinstance(f[key], int) else f[key]
    if "min" in out and "max" in out and Decimal(str(out["min"])) > Decimal(str(out["max"])):
        check.error(gettext("%(where)s: the minimum is greater than the maximum."))


def _check_date_limits(check: _FieldCheck) -> None:
    f, out = check.f, check.out
    for key in ("min", "max"):
        if f.get(key) is not None:
            if iso_date(f[key]) is None:
                check.error(gettext("%(where)s: “%(key)s” must be a date as YYYY-MM-DD."), key=key)
            else:
                out[key] = f[key]
    if "min" in out and "max" in out and iso_date(out["min"]) > iso_date(out["max"]):
        check.error(gettext("%(where)s: the earliest date is after the latest."))
    not_in_future, not_in_past = check.flag(NOT_IN_FUTURE), check.flag(NOT_IN_PAST)
    for key in (MAX_MONTHS_AGO, MAX_MONTHS_AHEAD):
        if f.get(key) is not None:
            if not _positive_int(f[key], MAX_MONTHS):
                check.error(
                    gettext("%(where)s: “%(key)s” must be a whole number of months from 1 to %(limit)s."),
                    key=key,
                    limit=MAX_MONTHS,
                )
            else:
                out[key] = f[key]
    for first, second in (
        (not_in_future, not_in_past),
        (not_in_future, MAX_MONTHS_AHEAD in out),
        (not_in_past, MAX_MONTHS_AGO in out),
    ):
        if first and second:
            check.error(
                gettext(
                    "%(where)s: the limits relative to today contradict each other "
                    "(not_in_future, not_in_past, max_months_ago, max_months_ahead)."
                )
            )
            break


def _check_limits(check: _FieldCheck) -> None:
    if check.kind == NUMBER:
        _check_number_limits(check)
    elif check.kind == DATE:
        _check_date_limits(check)
    if check.kind != DATE:
        for key in (NOT_IN_FUTURE, NOT_IN_PAST, MAX_MONTHS_AGO, MAX_MONTHS_AHEAD):
            check.refuse_key(key)
    if check.kind not in (NUMBER, DATE):
        check.refuse_key("min")
        check.refuse_key("max")


def _check_choices(check: _FieldCheck) -> None:
    if check.kind != CHOICE:
        check.refuse_key("choices")
        return
    choices = check.f.get("choices")
    if not isinstance(choices, list) or not choices:
        check.error(gettext("%(where)s: a choice field needs a list of choices."))
        return
    seen: set[str] = set()
    clean_choices = []
    for choice in choices:
        value = choice.get("value") if isinstance(choice, Mapping) else None
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
            check.error(gettext("%(where)s: every choice needs a value."))
            continue
        value = str(value)
        if value in seen:
            check.error(gettext("%(where)s: the choice “%(value)s” is listed twice."), value=value)
        seen.add(value)
        label_lv = choice.get("label_lv") or ""
        if not isinstance(label_lv, str) or not label_lv.strip():
            check.error(gettext("%(where)s: the choice “%(value)s” needs a Latvian label."), value=value)
            label_lv = ""
        label_en = choice.get("label_en") or ""
        clean_choices.append(
            {"value": value, "label_lv": label_lv.strip(), "label_en": str(label_en).strip()}
        )
    check.out["choices"] = clean_choices


def _check_file(check: _FieldCheck) -> None:
    if check.kind != FILE:
        check.refuse_key("allowed_extensions")
        check.refuse_key("max_size_kb")
        return
    extensions = check.f.get("allowed_extensions", DEFAULT_ALLOWED_EXTENSIONS)
    if (
        not isinstance(extensions, list)
        or not extensions
        or not all(isinstance(e, str) and EXTENSION_RE.match(e.lower()) for e in extensions)
    ):
        check.error(gettext('%(where)s: allowed extensions must be a list like [".pdf", ".jpg"].'))
    else:
        check.out["allowed_extensions"] = list(dict.fromkeys(e.lower() for e in extensions))
    max_size_kb = check.f.get("max_size_kb", DEFAULT_MAX_SIZE_KB)
    if not _positive_int(max_size_kb, MAX_MAX_SIZE_KB):
        check.error(
            gettext("%(where)s: the maximum size must be a whole number of kB from 1 to %(limit)s."),
            limit=MAX_MAX_SIZE_KB,
        )
    else:
        check.out["max_size_kb"] = max_size_kb


def _check_subject_keys(check: _FieldCheck) -> None:
    """`subject` on personal codes and dates; `case_subject` on a required personal code."""
    if check.kind not in (PERSONAL_CODE, DATE):
        check.refuse_key(SUBJECT)
    elif check.f.get(SUBJECT) not in (None, ""):
        subject = check.f[SUBJECT]
        if not isinstance(subject, str) or not SUBJECT_RE.match(subject):
            check.error(
                gettext(
                    "%(where)s: a subject is a short name of small Latin letters, digits and "
                    "underscores, e.g. “child”."
                )
            )
        else:
            check.out[SUBJECT] = subject
    if check.kind != PERSONAL_CODE:
        check.refuse_key(CASE_SUBJECT)
    elif check.flag(CASE_SUBJECT) and not check.out.get("required"):
        check.error(gettext("%(where)s: the personal code of the case subject must be required."))


FIELD_CHECKS: tuple[Callable[[_FieldCheck], None], ...] = (
    _check_texts,
    _check_max_length,
    _check_limits,
    _check_choices,
    _check_file,
    _check_subject_keys,
)


def _check_field(index: int, f: Any, errors: list[str]) -> dict | None:
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
    check = _FieldCheck(f, kind, where, errors)
    for step in FIELD_CHECKS:
        step(check)
    return check.out


def _check_subjects(fields: list[dict], errors: list[str]) -> None:
    """Each subject has exactly one personal code and one date of birth; one case subject at most."""
    subjects: dict[str, dict[str, list[str]]] = {}
    for f in fields:
        if f.get(SUBJECT):
            subjects.setdefault(f[SUBJECT], {PERSONAL_CODE: [], DATE: []})[f["type"]].append(f["name"])
    for subject, kinds in subjects.items():
        if len(kinds[PERSONAL_CODE]) > 1:
            errors.append(
                gettext("The subject “%(subject)s” has more than one personal-code field: %(names)s.")
                % {"subject": subject, "names": ", ".join(kinds[PERSONAL_CODE])}
            )
        if len(kinds[DATE]) > 1:
            errors.append(
                gettext("The subject “%(subject)s” has more than one date-of-birth field: %(names)s.")
                % {"subject": subject, "names": ", ".join(kinds[DATE])}
            )
        if not kinds[PERSONAL_CODE] or not kinds[DATE]:
            errors.append(
                gettext(
                    "The subject “%(subject)s” needs both a personal-code field and a date field "
                    "(the date of birth)."
                )
                % {"subject": subject}
            )
    case_subjects = [f["name"] for f in fields if f.get(CASE_SUBJECT)]
    if len(case_subjects) > 1:
        errors.append(
            gettext("Only one personal code may be the case subject; marked: %(names)s.")
            % {"names": ", ".join(case_subjects)}
        )


def eform_definition_validate(definition: Any) -> list[dict]:
    """Check an e-form definition; return it normalised (defaults filled in), or raise ValidationError.

    Refused: anything but a list of field objects, a missing or malformed name, a name used twice,
    an unknown type or key, a missing Latvian label, limits that are not numbers or contradict
    each other, a choice field without choices, a subject without both its personal code and its
    date of birth (or with two of either), more than one case subject or an optional one.
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
    _check_subjects(fields, errors)
    if errors:
        raise ValidationError(errors, code="eform_invalid")
    return fields
