"""The e-form builder: add, change, move and remove one field of a service's e-form at a time.

Every operation takes the `actor` and the `service`, checks permissions.service_may_edit
(PermissionDenied otherwise), reads the e-form of the working snapshot (the pending changes of a
public service, else the service as it is) under the service's row lock, changes the list, checks it
and saves it with `service_update_section(fields={"eform": ...})`: a draft changes at once, a public
service keeps the change pending until it is published. Cases keep the ServiceVersion they were
filed under, so nothing here can change a filed case.

Checks: the field being added or changed as the builder asks (stricter than the stored format:
labels in both languages, every choice labelled in both, date limits that leave some day open
today), then the whole list with `eform_definition_validate`. A refusal is `kernel.errors.Invalid`
whose `field_errors` are keyed by the definition's keys ("name", "label_en", "choices", "min", …,
the builder form's field names too), "pair_with" for the date-of-birth pairing and "__all__" for
what belongs to no one field. An unknown field name is `kernel.errors.NotFound`.

The field dict is the definition's format (see catalogue.eforms). Keys that do not apply to the
field's type are dropped, so changing a field's type drops the old type's limits. Two extra rules:
- pairing: a personal code and the date of birth of one person share a `subject`. With the key
  "pair_with" (the name of the other field of the pair, "" for none) both fields get one subject in
  one save; a pair broken by a change (a removed field, an unpaired or retyped one) is dropped from
  the field left alone. Without "pair_with" a given "subject" is taken as it is.
- the e-service channel: an e-form is filed through it and service_data_clean wants both or
  neither, so the first field added to a service without that channel adds it (no instructions yet),
  and removing the last field removes it. `EFormChange` says when that happened.
"""

from __future__ import annotations

import copy
import itertools
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.actors import Actor
from kernel.constants import Channel as KernelChannel
from kernel.errors import Invalid, NotFound

from ..eforms import (
    CASE_SUBJECT,
    CHECKBOX,
    CHOICE,
    DATE,
    EMAIL,
    EXTENSION_RE,
    FIELD_KEYS,
    FIELD_TYPES,
    FILE,
    IBAN,
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
    PHONE,
    RELATIVE_DATE_KEYS,
    SUBJECT,
    TEXT,
    date_shown,
    eform_date_bounds,
    eform_definition_validate,
)
from ..eforms.dates import iso_date
from ..models import Service
from ..permissions import service_may_edit
from .editing import service_update_section
from .snapshots import service_working_snapshot

LABEL_MAX_LENGTH = 300
HELP_MAX_LENGTH = 1000  # the stored format's limit for any text
CHOICE_VALUE_MAX_LENGTH = 100
PAIR_WITH = "pair_with"
ALL = "__all__"
E_SERVICE = KernelChannel.E_SERVICE.value

COMMON_KEYS = ("name", "type", "label_lv", "label_en", "help_lv", "help_en", "required")
KEYS_BY_TYPE: dict[str, tuple[str, ...]] = {
    TEXT: (*COMMON_KEYS, "max_length"),
    LONG_TEXT: (*COMMON_KEYS, "max_length"),
    NUMBER: (*COMMON_KEYS, "min", "max"),
    DATE: (
        *COMMON_KEYS,
        "min",
        "max",
        NOT_IN_FUTURE,
        NOT_IN_PAST,
        MAX_MONTHS_AGO,
        MAX_MONTHS_AHEAD,
        SUBJECT,
    ),
    CHOICE: (*COMMON_KEYS, "choices"),
    CHECKBOX: COMMON_KEYS,
    PERSONAL_CODE: (*COMMON_KEYS, SUBJECT, CASE_SUBJECT),
    IBAN: COMMON_KEYS,
    EMAIL: COMMON_KEYS,
    PHONE: COMMON_KEYS,
    FILE: (*COMMON_KEYS, "allowed_extensions", "max_size_kb"),
}
FLAG_KEYS = ("required", NOT_IN_FUTURE, NOT_IN_PAST, CASE_SUBJECT)
PAIRED_TYPES = {PERSONAL_CODE: DATE, DATE: PERSONAL_CODE}


@dataclass(frozen=True)
class EFormChange:
    """What an operation did: the service (its pending or draft state updated), the saved e-form, the
    name of the field it was about, and whether the e-service channel was added or removed with it."""

    service: Service
    eform: list[dict]
    name: str = ""
    channel_added: bool = False
    channel_removed: bool = False


# --- reading -----------------------------------------------------------------------------------------


def eform_working(*, service: Service) -> list[dict]:
    """The e-form the builder works on: the pending changes' one, else the service's own (a copy)."""
    return copy.deepcopy(service_working_snapshot(service=service).get("eform") or [])


def eform_field_partner(*, eform: list[dict], name: str) -> str:
    """The name of the other field of a personal code's or a date's pair (the same subject), or ""."""
    field = next((f for f in eform if f.get("name") == name), None)
    if not field or not field.get(SUBJECT) or field.get("type") not in PAIRED_TYPES:
        return ""
    other = PAIRED_TYPES[field["type"]]
    partner = next(
        (f for f in eform if f.get(SUBJECT) == field[SUBJECT] and f.get("type") == other),
        None,
    )
    return partner["name"] if partner else ""


# --- checking one field --------------------------------------------------------------------------------


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _clean_text(value: Any, key: str, limit: int, errors: _Errors, *, one_line: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(key, _("Enter text."))
        return ""
    value = " ".join(value.split()) if one_line else value.replace("\r\n", "\n").strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        errors.add(key, _("The text contains characters that are not allowed."))
    if len(value) > limit:
        errors.add(
            key,
            _("Enter at most %(limit)s characters (you entered %(count)s).")
            % {"limit": limit, "count": len(value)},
        )
    return value


def _whole_number(value: Any, key: str, upper: int, errors: _Errors) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= upper:
        errors.add(key, _("Enter a whole number from 1 to %(limit)s.") % {"limit": upper})
        return None
    return value


def _number(value: Any, key: str, errors: _Errors) -> int | str | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise InvalidOperation
        number = Decimal(str(value).replace(",", ".").replace(" ", "").strip())
        if not number.is_finite() or abs(number.adjusted()) > 20:
            raise InvalidOperation
    except InvalidOperation:
        errors.add(key, _("Enter a number."))
        return None
    if number == number.to_integral_value():
        return int(number)
    return format(number.normalize(), "f")


def _date(value: Any, key: str, errors: _Errors) -> str | None:
    if value is None or value == "":
        return None
    if iso_date(value) is None:
        errors.add(key, _("Enter a date as YYYY-MM-DD (for example 2024-05-31)."))
        return None
    return value


def _check_choices(value: Any, errors: _Errors) -> list[dict]:
    if not isinstance(value, list) or not value:
        errors.add(
            "choices", _("Add at least one choice: a row “value | label in Latvian | label in English”.")
        )
        return []
    out: list[dict] = []
    seen: set[str] = set()
    for number, choice in enumerate(value, start=1):
        if not isinstance(choice, Mapping):
            errors.add("choices", _("Choice %(number)s is not a choice.") % {"number": number})
            continue
        raw_value = choice.get("value")
        text = "" if raw_value is None or isinstance(raw_value, bool) else str(raw_value).strip()
        where = {"number": number, "value": text}
        if not text:
            errors.add("choices", _("Choice %(number)s needs a value.") % where)
        elif len(text) > CHOICE_VALUE_MAX_LENGTH or "|" in text:
            errors.add(
                "choices",
                _("The value of choice %(number)s may have at most %(limit)s characters and no “|”.")
                % {**where, "limit": CHOICE_VALUE_MAX_LENGTH},
            )
        elif text in seen:
            errors.add("choices", _("The choice “%(value)s” is listed twice.") % where)
        seen.add(text)
        labels = {}
        for key, message in (
            ("label_lv", _("The choice “%(value)s” needs a label in Latvian.")),
            ("label_en", _("The choice “%(value)s” needs a label in English.")),
        ):
            labels[key] = _clean_text(choice.get(key), "choices", LABEL_MAX_LENGTH, errors, one_line=True)
            if not labels[key]:
                errors.add("choices", message % where)
        out.append({"value": text, **labels})
    return out


def _check_extensions(value: Any, errors: _Errors) -> list[str] | None:
    if value is None or value == []:
        return None
    if not isinstance(value, list) or not all(
        isinstance(e, str) and EXTENSION_RE.match(e.strip().lower()) for e in value
    ):
        errors.add("allowed_extensions", _("List file extensions like “.pdf, .jpg”."))
        return None
    return list(dict.fromkeys(e.strip().lower() for e in value))


def _check_date_limits(out: dict, errors: _Errors) -> None:
    """Relative limits that contradict each other, and absolute ones that leave no day open today."""
    for first, second in (
        (NOT_IN_FUTURE, NOT_IN_PAST),
        (NOT_IN_FUTURE, MAX_MONTHS_AHEAD),
        (NOT_IN_PAST, MAX_MONTHS_AGO),
    ):
        if out.get(first) and out.get(second):
            errors.add(
                second,
                _("This limit contradicts “%(other)s”: no date could be entered.")
                % {"other": _limit_name(first)},
            )
    if any(key in errors for key in ("min", "max", *RELATIVE_DATE_KEYS)):
        return
    if out.get("min") and out.get("max") and iso_date(out["min"]) > iso_date(out["max"]):
        errors.add("min", _("The earliest date is after the latest."))
        return
    earliest, latest = eform_date_bounds(out)
    if earliest is None or latest is None or earliest <= latest:
        return
    message = _(
        "No date could be entered today: the earliest allowed date (%(earliest)s) is after the latest "
        "(%(latest)s)."
    ) % {"earliest": date_shown(earliest), "latest": date_shown(latest)}
    if out.get("min") and iso_date(out["min"]) > latest:
        errors.add("min", message)
    elif out.get("max") and iso_date(out["max"]) < earliest:
        errors.add("max", message)
    else:
        errors.add(ALL, message)


def _limit_name(key: str) -> str:
    return {
        NOT_IN_FUTURE: _("not in the future"),
        NOT_IN_PAST: _("not in the past"),
        MAX_MONTHS_AGO: _("at most so many months ago"),
        MAX_MONTHS_AHEAD: _("at most so many months ahead"),
    }[key]


def _field_clean(raw: Any, *, others: list[dict]) -> tuple[dict, _Errors]:
    """The builder's check of one field dict: its normalised form (only the keys of its type, empty
    values left out) and the errors by key. `others` are the form's other fields."""
    errors = _Errors()
    if not isinstance(raw, Mapping):
        errors.add(ALL, _("A field is a set of keys and values."))
        return {}, errors
    unknown = sorted(str(k) for k in set(raw) - FIELD_KEYS - {PAIR_WITH})
    if unknown:
        errors.add(ALL, _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        errors.add("type", _("Choose a field type from the list."))
        return {}, errors
    keys = KEYS_BY_TYPE[kind]
    out: dict[str, Any] = {"type": kind}

    name = raw.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors.add("name", _("Enter the field's name."))
    elif not NAME_RE.match(name):
        errors.add(
            "name",
            _(
                "A name starts with a small Latin letter and has only small Latin letters, digits and "
                "underscores (at most 50), e.g. “child_birth_date”."
            ),
        )
    elif any(f.get("name") == name for f in others):
        errors.add("name", _("The e-form already has a field named “%(name)s”.") % {"name": name})
    out["name"] = name

    for key, limit, message in (
        ("label_lv", LABEL_MAX_LENGTH, _("Enter the label in Latvian.")),
        ("label_en", LABEL_MAX_LENGTH, _("Enter the label in English.")),
    ):
        out[key] = _clean_text(raw.get(key), key, limit, errors, one_line=True)
        if not out[key] and key not in errors:
            errors.add(key, message)
    for key in ("help_lv", "help_en"):
        value = _clean_text(raw.get(key), key, HELP_MAX_LENGTH, errors, one_line=False)
        if value:
            out[key] = value

    for key in FLAG_KEYS:
        if key not in keys:
            continue
        value = raw.get(key, False)
        if value is None:
            value = False
        if not isinstance(value, bool):
            errors.add(key, _("Choose yes or no."))
        elif value or key == "required":
            out[key] = value

    if "max_length" in keys and (
        v := _whole_number(raw.get("max_length"), "max_length", MAX_MAX_LENGTH, errors)
    ):
        out["max_length"] = v
    if kind == NUMBER:
        for key in ("min", "max"):
            if (v := _number(raw.get(key), key, errors)) is not None:
                out[key] = v
        if "min" in out and "max" in out and Decimal(str(out["min"])) > Decimal(str(out["max"])):
            errors.add("min", _("The minimum is greater than the maximum."))
    if kind == DATE:
        for key in ("min", "max"):
            if (v := _date(raw.get(key), key, errors)) is not None:
                out[key] = v
        for key in (MAX_MONTHS_AGO, MAX_MONTHS_AHEAD):
            if (v := _whole_number(raw.get(key), key, MAX_MONTHS, errors)) is not None:
                out[key] = v
        _check_date_limits(out, errors)
    if kind == CHOICE:
        out["choices"] = _check_choices(raw.get("choices"), errors)
    if kind == FILE:
        if (v := _check_extensions(raw.get("allowed_extensions"), errors)) is not None:
            out["allowed_extensions"] = v
        if (v := _whole_number(raw.get("max_size_kb"), "max_size_kb", MAX_MAX_SIZE_KB, errors)) is not None:
            out["max_size_kb"] = v
    if SUBJECT in keys and raw.get(SUBJECT) not in (None, ""):
        subject = raw[SUBJECT]
        if not isinstance(subject, str) or not NAME_RE.match(subject):
            errors.add(
                SUBJECT, _("A subject is a short name of small Latin letters, digits and underscores.")
            )
        else:
            out[SUBJECT] = subject
    if out.get(CASE_SUBJECT):
        if not out.get("required"):
            errors.add(CASE_SUBJECT, _("The personal code of the person the case is about must be required."))
        marked = next((f for f in others if f.get(CASE_SUBJECT)), None)
        if marked is not None:
            errors.add(
                CASE_SUBJECT,
                _("The field “%(name)s” is already the person the case is about.") % {"name": marked["name"]},
            )
    return out, errors


# --- pairs of a personal code and a date of birth ------------------------------------------------------


def _pair(eform: list[dict], me: dict, pair_with: Any, errors: _Errors) -> None:
    """Give `me` and the field named `pair_with` one subject ("" unpairs `me`)."""
    if me["type"] not in PAIRED_TYPES:
        if pair_with:
            errors.add(PAIR_WITH, _("Only a personal code and a date of birth are paired."))
        return
    me.pop(SUBJECT, None)
    if not pair_with:
        return
    other = PAIRED_TYPES[me["type"]]
    partner = next((f for f in eform if f is not me and f.get("name") == pair_with), None)
    if partner is None or partner.get("type") != other:
        errors.add(
            PAIR_WITH,
            _("Choose a personal-code field of this e-form.")
            if other == PERSONAL_CODE
            else _("Choose a date field of this e-form."),
        )
        return
    subject = partner.get(SUBJECT)
    if subject:
        taken = next(
            (f for f in eform if f is not me and f is not partner and f.get(SUBJECT) == subject), None
        )
        if taken is not None:
            errors.add(
                PAIR_WITH,
                _("“%(partner)s” is already paired with “%(other)s”.")
                % {"partner": partner["name"], "other": taken["name"]},
            )
            return
    else:
        used = {f.get(SUBJECT) for f in eform if f is not me}
        base = (me if me["type"] == PERSONAL_CODE else partner)["name"]
        subject = base
        for n in itertools.count(2):
            if subject not in used:
                break
            subject = f"{base[:45]}_{n}"
    me[SUBJECT] = partner[SUBJECT] = subject


def _drop_broken_pairs(before: list[dict], after: list[dict]) -> None:
    """A subject two fields shared before and only one holds now: drop it from that one."""
    paired_before = {
        s for s in (f.get(SUBJECT) for f in before) if s and sum(1 for f in before if f.get(SUBJECT) == s) > 1
    }
    for subject in paired_before:
        holders = [f for f in after if f.get(SUBJECT) == subject]
        if len(holders) == 1:
            holders[0].pop(SUBJECT)


# --- saving ------------------------------------------------------------------------------------------


def _index(eform: list[dict], name: str) -> int:
    for index, f in enumerate(eform):
        if f.get("name") == name:
            return index
    raise NotFound()


def _errors_from_service(error: ValidationError) -> dict[str, list[str]]:
    """The editor's errors about the rest of the service: they belong to no builder field."""
    if hasattr(error, "error_dict"):
        return {ALL: [m for messages in error.message_dict.values() for m in messages]}
    return {ALL: list(error.messages)}


@transaction.atomic
def _change(
    *, actor: Actor, service: Service, edit: Callable[[list[dict]], tuple[list[dict], str]]
) -> EFormChange:
    if not service_may_edit(actor.user_or_none, service):
        raise PermissionDenied(_("You may not edit this service."))
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    working = service_working_snapshot(service=locked)
    before = copy.deepcopy(working.get("eform") or [])
    after, name = edit(copy.deepcopy(before))
    _drop_broken_pairs(before, after)
    if len(after) > MAX_FIELDS:
        raise Invalid(
            field_errors={ALL: [_("An e-form may have at most %(limit)s fields.") % {"limit": MAX_FIELDS}]}
        )
    try:
        after = eform_definition_validate(after)
    except ValidationError as error:
        raise Invalid(field_errors={ALL: list(error.messages)}) from None
    if after == before:
        return EFormChange(service=locked, eform=after, name=name)
    fields: dict[str, Any] = {"eform": after}
    channels = copy.deepcopy(working.get("channels") or {})
    added = bool(after) and E_SERVICE not in channels
    removed = not after and E_SERVICE in channels
    if added:
        channels[E_SERVICE] = {"instructions_lv": "", "instructions_en": "", "centres": []}
    if removed:
        del channels[E_SERVICE]
    if added or removed:
        fields["channels"] = dict(sorted(channels.items()))
    try:
        updated = service_update_section(actor=actor, service=locked, fields=fields)
    except ValidationError as error:
        raise Invalid(field_errors=_errors_from_service(error)) from None
    service.pending, service.preparers = updated.pending, updated.preparers
    service.eform = updated.eform
    return EFormChange(service=updated, eform=after, name=name, channel_added=added, channel_removed=removed)


def _raise(errors: _Errors) -> None:
    if errors:
        raise Invalid(field_errors=dict(errors))


def eform_field_add(
    *, actor: Actor, service: Service, field: Mapping[str, Any], position: int | None = None
) -> EFormChange:
    """Add a field (at the end, or at `position`, counted from 0). Invalid names the bad keys."""

    def edit(eform: list[dict]) -> tuple[list[dict], str]:
        out, errors = _field_clean(field, others=eform)
        _raise(errors)
        at = len(eform) if position is None else max(0, min(int(position), len(eform)))
        eform.insert(at, out)
        if isinstance(field, Mapping) and PAIR_WITH in field:
            _pair(eform, out, field[PAIR_WITH], errors)
            _raise(errors)
        return eform, out["name"]

    return _change(actor=actor, service=service, edit=edit)


def eform_field_update(*, actor: Actor, service: Service, name: str, field: Mapping[str, Any]) -> EFormChange:
    """Replace the field named `name` by `field` (all its keys; a new name keeps the field's place)."""

    def edit(eform: list[dict]) -> tuple[list[dict], str]:
        index = _index(eform, name)
        others = eform[:index] + eform[index + 1 :]
        out, errors = _field_clean(field, others=others)
        _raise(errors)
        eform[index] = out
        if isinstance(field, Mapping) and PAIR_WITH in field:
            _pair(eform, out, field[PAIR_WITH], errors)
            _raise(errors)
        return eform, out["name"]

    return _change(actor=actor, service=service, edit=edit)


def eform_field_remove(*, actor: Actor, service: Service, name: str) -> EFormChange:
    """Remove the field; the date-of-birth pair it was part of is undone on the other field."""

    def edit(eform: list[dict]) -> tuple[list[dict], str]:
        del eform[_index(eform, name)]
        return eform, name

    return _change(actor=actor, service=service, edit=edit)


def eform_field_move(*, actor: Actor, service: Service, name: str, to: int) -> EFormChange:
    """Move the field to place `to` (from 0; beyond either end means that end)."""

    def edit(eform: list[dict]) -> tuple[list[dict], str]:
        field = eform.pop(_index(eform, name))
        eform.insert(max(0, min(int(to), len(eform))), field)
        return eform, name

    return _change(actor=actor, service=service, edit=edit)


def eform_field_move_up(*, actor: Actor, service: Service, name: str) -> EFormChange:
    return _move_by(actor=actor, service=service, name=name, step=-1)


def eform_field_move_down(*, actor: Actor, service: Service, name: str) -> EFormChange:
    return _move_by(actor=actor, service=service, name=name, step=1)


def _move_by(*, actor: Actor, service: Service, name: str, step: int) -> EFormChange:
    def edit(eform: list[dict]) -> tuple[list[dict], str]:
        index = _index(eform, name)
        field = eform.pop(index)
        eform.insert(max(0, min(index + step, len(eform))), field)
        return eform, name

    return _change(actor=actor, service=service, edit=edit)
