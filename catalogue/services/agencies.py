"""The platform admin's writes of agencies and one-stop centres (VPVKAC): code, names in both
languages, kind, contacts; a centre's municipality and address.

Only a platform admin (a superuser counts) may write them (`viewer.editor_facts`). Each call checks,
validates (an `Invalid` naming the fields), writes in one transaction and records an audit event with
what changed (`{"changed": {field: [old, new]}}`). A code is given once, at creation: services,
roles, cases and invoices name an agency or a centre by it, so it is never changed afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.errors import Invalid, PermissionDenied

from ..constants import AgencyKind
from ..models import Agency, ServiceCentre
from ..viewer import editor_facts

AGENCY_CODE_RE = re.compile(r"^[A-Z0-9-]{2,20}$")
CENTRE_CODE_RE = re.compile(r"^[A-Z0-9-]{2,40}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{3,28}[0-9]$")

AGENCY_FIELDS = ("code", "name_lv", "name_en", "kind", "email", "phone", "website")
CENTRE_FIELDS = ("code", "name_lv", "name_en", "municipality", "address", "email", "phone", "opening_hours")
# the longest text each field takes (the model's max_length)
_LIMITS = {
    "name_lv": 300,
    "name_en": 300,
    "email": 254,
    "phone": 30,
    "website": 200,
    "address": 300,
    "opening_hours": 200,
}

_validate_url = URLValidator(schemes=["http", "https"])


def _require_platform_admin(actor: Actor) -> None:
    if not editor_facts(actor.user_or_none).platform_admin:
        raise PermissionDenied(_("Only a platform administrator may add or change agencies and centres."))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _code_clean(value: Any, *, pattern: re.Pattern, longest: int, errors: dict[str, list]) -> str:
    code = _text(value).upper()
    if not code:
        errors["code"] = [_("Enter a code.")]
    elif not pattern.match(code):
        errors["code"] = [
            _("Use 2 to %(longest)d capital Latin letters, digits or hyphens (e.g. VSAA, VPVKAC-RIGA).")
            % {"longest": longest}
        ]
    return code


def _texts_clean(data: Mapping[str, Any], names: tuple[str, ...], errors: dict[str, list]) -> dict[str, str]:
    """Names (both required) and contacts: stripped, within their lengths, well formed."""
    clean = {name: _text(data.get(name)) for name in names}
    for name in ("name_lv", "name_en"):
        if name in clean and not clean[name]:
            errors[name] = [
                _("Enter the name in Latvian.") if name == "name_lv" else _("Enter the name in English.")
            ]
    for name, value in clean.items():
        if name in errors or not value:
            continue
        if len(value) > _LIMITS[name]:
            errors[name] = [_("At most %(n)d characters.") % {"n": _LIMITS[name]}]
        elif name == "email":
            try:
                validate_email(value)
            except ValidationError:
                errors[name] = [_("Enter a valid e-mail address.")]
        elif name == "website":
            try:
                _validate_url(value)
            except ValidationError:
                errors[name] = [_("Enter a web address beginning with https:// or http://.")]
        elif name == "phone" and not PHONE_RE.match(value):
            errors[name] = [_("Enter a phone number of digits, e.g. +371 67000000.")]
    return clean


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list]:
    """{field: [old, new]} of the fields whose value differs; on a creation (no `old`) the fields given."""
    if not old:
        return {name: [None, value] for name, value in new.items() if value not in ("", None)}
    return {name: [old.get(name), value] for name, value in new.items() if old.get(name) != value}


# --- agencies ---------------------------------------------------------------------------------------


def _agency_values(agency: Agency) -> dict[str, Any]:
    return {name: getattr(agency, name) for name in AGENCY_FIELDS}


def _agency_data_clean(data: Mapping[str, Any], *, current: Agency | None) -> dict[str, Any]:
    """The agency's fields from `data` (on an update, a field left out keeps its value), or Invalid."""
    errors: dict[str, list] = {}
    merged = dict(_agency_values(current)) if current is not None else {}
    merged.update({name: data[name] for name in AGENCY_FIELDS if name in data})
    clean = _texts_clean(merged, ("name_lv", "name_en", "email", "phone", "website"), errors)
    kind = _text(merged.get("kind")) or (str(AgencyKind.STATE) if current is None else "")
    if kind not in AgencyKind.values:
        errors["kind"] = [_("Choose the kind of the agency.")]
    clean["kind"] = kind
    if current is None:
        clean["code"] = _code_clean(merged.get("code"), pattern=AGENCY_CODE_RE, longest=20, errors=errors)
        if "code" not in errors and Agency.objects.filter(code__iexact=clean["code"]).exists():
            errors["code"] = [_("An agency with this code already exists.")]
    else:
        clean["code"] = current.code
        given = _text(data.get("code")).upper()
        if given and given != current.code:
            errors["code"] = [_("The code cannot be changed once the agency exists.")]
        if (
            current.kind == AgencyKind.MUNICIPALITY
            and kind != AgencyKind.MUNICIPALITY
            and current.service_centres.exists()
        ):
            errors["kind"] = [_("This municipality has one-stop centres: it stays a municipality.")]
    if errors:
        raise Invalid(field_errors=errors)
    return clean


@transaction.atomic
def agency_create(*, actor: Actor, data: Mapping[str, Any]) -> Agency:
    """A new agency: code (2–20 of A–Z, 0–9, -; upper-cased), both names, kind, e-mail, phone, website."""
    _require_platform_admin(actor)
    clean = _agency_data_clean(data, current=None)
    try:
        with transaction.atomic():
            agency = Agency.objects.create(**clean)
    except IntegrityError:  # created meanwhile by someone else
        raise Invalid(field_errors={"code": [_("An agency with this code already exists.")]}) from None
    audit.record(
        action="catalogue.agency.create",
        actor=actor,
        target=agency,
        agency_id=agency.pk,
        data={"code": agency.code, "changed": _changes({}, clean)},
    )
    return agency


@transaction.atomic
def agency_update(*, actor: Actor, agency: Agency, data: Mapping[str, Any]) -> Agency:
    """Change an agency's names, kind and contacts (never its code); nothing is written or recorded
    when nothing changes."""
    _require_platform_admin(actor)
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    before = _agency_values(locked)
    clean = _agency_data_clean(data, current=locked)
    changed = _changes(before, clean)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, clean[name])
    locked.save(update_fields=list(changed))
    audit.record(
        action="catalogue.agency.update",
        actor=actor,
        target=locked,
        agency_id=locked.pk,
        data={"code": locked.code, "changed": changed},
    )
    return locked


# --- one-stop centres ------------------------------------------------------------------------------


def _centre_values(centre: ServiceCentre) -> dict[str, Any]:
    values = {name: getattr(centre, name) for name in CENTRE_FIELDS if name != "municipality"}
    values["municipality"] = centre.municipality.code
    return values


def _municipality_clean(value: Any, errors: dict[str, list]) -> Agency | None:
    """The municipality by its code (or the Agency itself); it must be an agency of kind municipality."""
    code = value.code if isinstance(value, Agency) else _text(value).upper()
    municipality = Agency.objects.filter(code=code).first() if code else None
    if municipality is None or municipality.kind != AgencyKind.MUNICIPALITY:
        errors["municipality"] = [_("Choose a municipality.")]
        return None
    return municipality


def _centre_data_clean(
    data: Mapping[str, Any], *, current: ServiceCentre | None
) -> tuple[dict[str, Any], Agency | None]:
    errors: dict[str, list] = {}
    merged = dict(_centre_values(current)) if current is not None else {}
    merged.update({name: data[name] for name in CENTRE_FIELDS if name in data})
    clean: dict[str, Any] = _texts_clean(
        merged, ("name_lv", "name_en", "address", "email", "phone", "opening_hours"), errors
    )
    municipality = _municipality_clean(merged.get("municipality"), errors)
    clean["municipality"] = municipality.code if municipality is not None else None
    if current is None:
        clean["code"] = _code_clean(merged.get("code"), pattern=CENTRE_CODE_RE, longest=40, errors=errors)
        if "code" not in errors and ServiceCentre.objects.filter(code__iexact=clean["code"]).exists():
            errors["code"] = [_("A one-stop centre with this code already exists.")]
    else:
        clean["code"] = current.code
        given = _text(data.get("code")).upper()
        if given and given != current.code:
            errors["code"] = [_("The code cannot be changed once the centre exists.")]
    if errors:
        raise Invalid(field_errors=errors)
    return clean, municipality


@transaction.atomic
def centre_create(*, actor: Actor, data: Mapping[str, Any]) -> ServiceCentre:
    """A new one-stop centre: code (2–40 of A–Z, 0–9, -; upper-cased), both names, its municipality
    (an agency of kind municipality, by code), address, e-mail, phone, opening hours."""
    _require_platform_admin(actor)
    clean, municipality = _centre_data_clean(data, current=None)
    fields = {name: value for name, value in clean.items() if name != "municipality"}
    try:
        with transaction.atomic():
            centre = ServiceCentre.objects.create(municipality=municipality, **fields)
    except IntegrityError:
        raise Invalid(
            field_errors={"code": [_("A one-stop centre with this code already exists.")]}
        ) from None
    audit.record(
        action="catalogue.centre.create",
        actor=actor,
        target=centre,
        agency_id=centre.municipality_id,
        data={"code": centre.code, "changed": _changes({}, clean)},
    )
    return centre


@transaction.atomic
def centre_update(*, actor: Actor, centre: ServiceCentre, data: Mapping[str, Any]) -> ServiceCentre:
    """Change a centre's names, municipality, address and contacts (never its code)."""
    _require_platform_admin(actor)
    locked = (
        ServiceCentre.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=centre.pk)
    )
    before = _centre_values(locked)
    clean, municipality = _centre_data_clean(data, current=locked)
    changed = _changes(before, clean)
    if not changed:
        return locked
    for name in changed:
        if name == "municipality":
            locked.municipality = municipality
        else:
            setattr(locked, name, clean[name])
    locked.save(update_fields=list(changed))
    audit.record(
        action="catalogue.centre.update",
        actor=actor,
        target=locked,
        agency_id=locked.municipality_id,
        data={"code": locked.code, "changed": changed},
    )
    return locked
