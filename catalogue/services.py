"""Writes to the catalogue: services, their versions, their e-forms, their search text.

Editing follows a draft/publish cycle:
- a new service is a draft; edits to a draft apply to it directly (nobody outside sees it);
- edits to a published (or withdrawn) service are kept in `Service.pending` until published,
  so the public keeps seeing the published entry and cases keep filing under its version;
- service_publish applies the pending changes and writes a ServiceVersion (who, when, what changed);
- service_withdraw hides the service from the public.
Every write checks permissions.service_may_edit and records an audit event.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

import audit.services as audit

from .constants import SERVICE_CODE_REGEX, Audience, PaymentMode, ServiceState
from .eforms import eform_definition_validate
from .models import (
    Agency,
    Category,
    Channel,
    LifeEvent,
    Service,
    ServiceCentre,
    ServiceChannel,
    ServiceVersion,
)
from .permissions import service_may_edit
from .search import search_text_for

SNAPSHOT_FIELDS = (
    "code",
    "title_lv",
    "title_en",
    "description_lv",
    "description_en",
    "audience",
    "payment_mode",
    "processing_days",
    "authorised_filing_allowed",
    "delegable",
    "internal",
    "municipality_specific",
    "facet_multichannel",
    "facet_multichannel_note",
    "facet_territorial",
    "facet_territorial_note",
    "facet_all_groups",
    "facet_all_groups_note",
    "facet_cross_border",
    "facet_cross_border_note",
    "legal_basis",
    "eform",
)
EDITABLE_FIELDS = tuple(name for name in SNAPSHOT_FIELDS if name != "code")
BOOLEAN_FIELDS = (
    "authorised_filing_allowed",
    "delegable",
    "internal",
    "municipality_specific",
    "facet_multichannel",
    "facet_territorial",
    "facet_all_groups",
    "facet_cross_border",
)
TEXT_LIMITS = {"title_lv": 400, "title_en": 400, "description_lv": 20000, "description_en": 20000}
PG_SEARCH_CONFIG = "pspp_lv"


# --- snapshots and diffs -------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return copy.deepcopy(value)


def service_snapshot(*, service: Service) -> dict[str, Any]:
    """Everything a citizen sees of a service, as JSON: what a version keeps and a diff compares."""
    snapshot: dict[str, Any] = {name: _json_value(getattr(service, name)) for name in SNAPSHOT_FIELDS}
    snapshot["fee_eur"] = None if service.fee_eur is None else f"{Decimal(service.fee_eur):.2f}"
    snapshot["agency"] = service.agency.code
    snapshot["category"] = service.category.slug if service.category_id else None
    snapshot["life_events"] = sorted(service.life_events.values_list("code", flat=True))
    channels = {}
    for sc in service.service_channels.select_related("channel").prefetch_related("centres"):
        channels[sc.channel.code] = {
            "instructions_lv": sc.instructions_lv,
            "instructions_en": sc.instructions_en,
            "centres": sorted(c.code for c in sc.centres.all()),
        }
    snapshot["channels"] = dict(sorted(channels.items()))
    return snapshot


def service_working_snapshot(*, service: Service) -> dict[str, Any]:
    """What the editor works on: the pending changes if there are any, else the service as it is."""
    return copy.deepcopy(service.pending) if service.pending else service_snapshot(service=service)


def _eform_summary(old: list, new: list) -> dict[str, Any]:
    old_by_name = {f.get("name"): f for f in old or []}
    new_by_name = {f.get("name"): f for f in new or []}
    return {
        "added": [n for n in new_by_name if n not in old_by_name],
        "removed": [n for n in old_by_name if n not in new_by_name],
        "changed": [n for n in new_by_name if n in old_by_name and new_by_name[n] != old_by_name[n]],
        "reordered": [n for n in new_by_name if n in old_by_name]
        != [n for n in old_by_name if n in new_by_name],
    }


def service_snapshot_diff(*, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Field-level changes between two snapshots: {field: {"old": …, "new": …}} (e-form with a summary)."""
    old = old or {}
    changes: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change: dict[str, Any] = {"old": before, "new": after}
        if key == "eform":
            change["summary"] = _eform_summary(before or [], after or [])
        changes[key] = change
    return changes


# --- search text -----------------------------------------------------------------------------------


def service_search_refresh(*, service_ids) -> None:
    """Recompute the stored search text (and on PostgreSQL the full-text vector) of these services."""
    from django.contrib.postgres.search import SearchVector

    ids = list(service_ids)
    if not ids:
        return
    services = (
        Service.objects.filter(pk__in=ids)
        .select_related("agency", "category", "category__parent")
        .prefetch_related("life_events")
        .only(
            "pk",
            "code",
            "title_lv",
            "title_en",
            "description_lv",
            "description_en",
            "agency__code",
            "agency__name_lv",
            "agency__name_en",
            "category__name_lv",
            "category__name_en",
            "category__parent__name_lv",
            "category__parent__name_en",
        )
    )
    changed = []
    for service in services:
        parts = [
            service.code,
            service.title_lv,
            service.title_en,
            service.agency.code,
            service.agency.name_lv,
            service.agency.name_en,
        ]
        if service.category_id:
            parts += [service.category.name_lv, service.category.name_en]
            if service.category.parent_id:
                parts += [service.category.parent.name_lv, service.category.parent.name_en]
        for event in service.life_events.all():
            parts += [event.name_lv, event.name_en]
        # no descriptions here: the text stays short for the trigram index and the SQLite match;
        # PostgreSQL's full-text vector adds the descriptions itself (weight B)
        service.search_text = search_text_for(parts)
        service.search_title = search_text_for([service.title_lv, service.title_en])
        changed.append(service)
    Service.objects.bulk_update(changed, ["search_text", "search_title"], batch_size=500)
    if connection.vendor == "postgresql":
        Service.objects.filter(pk__in=ids).update(
            search_vector=(
                SearchVector("code", "title_lv", "title_en", weight="A", config=PG_SEARCH_CONFIG)
                + SearchVector("description_lv", "description_en", weight="B", config=PG_SEARCH_CONFIG)
                + SearchVector("search_text", weight="C", config=PG_SEARCH_CONFIG)
            ),
            title_vector=SearchVector("code", "title_lv", "title_en", weight="A", config=PG_SEARCH_CONFIG),
        )


# --- validating an editor's data ---------------------------------------------------------------


def _clean_legal_basis(value: Any) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError(_("The legal basis is a list of acts with a title and an optional link."))
    validate_url = URLValidator(schemes=["http", "https"])
    out = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            raise ValidationError(_("Every legal act needs a title."))
        url = str(item.get("url", "") or "").strip()
        if url:
            try:
                validate_url(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(url)s” is not a valid web address.") % {"url": url[:100]}
                ) from None
        out.append({"title": str(item["title"]).strip()[:500], "url": url})
    return out


def service_data_clean(
    *, data: dict[str, Any], user, creating: bool, current_agency: str | None = None
) -> dict[str, Any]:
    """Check an editor's data (a snapshot-shaped dict) and return it normalised; ValidationError by field.

    The agency must be one the user may edit, or (when editing) the service's current agency.
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if creating:
        import re

        code = str(data.get("code", "") or "").strip()
        if not re.match(SERVICE_CODE_REGEX, code):
            error("code", _("A service code is 4 to 6 digits."))
        elif Service.objects.filter(code=code).exists():
            error("code", _("A service with this code already exists."))
        out["code"] = code

    for name in ("title_lv", "title_en", "description_lv", "description_en"):
        value = str(data.get(name, "") or "").strip()
        if len(value) > TEXT_LIMITS[name]:
            error(name, _("At most %(limit)s characters.") % {"limit": TEXT_LIMITS[name]})
        if "\x00" in value:
            error(name, _("The text contains characters that are not allowed."))
        out[name] = value
    if not out["title_lv"]:
        error("title_lv", _("A service needs a Latvian title."))
    for name in (
        "facet_multichannel_note",
        "facet_territorial_note",
        "facet_all_groups_note",
        "facet_cross_border_note",
    ):
        out[name] = str(data.get(name, "") or "").strip()[:5000]
    for name in BOOLEAN_FIELDS:
        out[name] = bool(data.get(name, False))

    audience = data.get("audience", Audience.PERSON)
    if audience not in Audience.values:
        error("audience", _("Choose who the service is for."))
    out["audience"] = audience
    payment_mode = data.get("payment_mode", PaymentMode.NONE)
    if payment_mode not in PaymentMode.values:
        error("payment_mode", _("Choose a payment mode."))
    out["payment_mode"] = payment_mode

    fee = data.get("fee_eur")
    if fee in (None, ""):
        out["fee_eur"] = None
    else:
        try:
            amount = Decimal(str(fee).replace(",", "."))
            if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000"):
                raise InvalidOperation
            out["fee_eur"] = f"{amount:.2f}"
        except InvalidOperation:
            error("fee_eur", _("Enter the fee in euros, e.g. 4.27."))
            out["fee_eur"] = None
    if out.get("fee_eur") and Decimal(out["fee_eur"]) > 0 and payment_mode == PaymentMode.NONE:
        error("payment_mode", _("A service with a fee needs a payment mode."))
    if (not out.get("fee_eur") or Decimal(out["fee_eur"]) == 0) and payment_mode != PaymentMode.NONE:
        error("fee_eur", _("Enter the fee, or choose “free of charge”."))

    days = data.get("processing_days")
    try:
        days = int(days)
        if not 0 <= days <= 3650:
            raise ValueError
    except (TypeError, ValueError):
        error("processing_days", _("Enter the processing time as a number of days from 0 to 3650."))
        days = 0
    out["processing_days"] = days

    agency_code = data.get("agency")
    from .permissions import agencies_editable

    if not agency_code or (
        agency_code != current_agency and not agencies_editable(user).filter(code=agency_code).exists()
    ):
        error("agency", _("You may create and edit services of your own agency only."))
    out["agency"] = agency_code

    category = data.get("category") or None
    if category and not Category.objects.filter(slug=category).exists():
        error("category", _("Choose a category from the list."))
    out["category"] = category

    life_events = sorted(set(data.get("life_events") or []))
    if len(life_events) != LifeEvent.objects.filter(code__in=life_events).count():
        error("life_events", _("Choose life events from the list."))
    out["life_events"] = life_events

    try:
        out["legal_basis"] = _clean_legal_basis(data.get("legal_basis"))
    except ValidationError as e:
        errors.setdefault("legal_basis", []).extend(e.messages)
        out["legal_basis"] = []

    try:
        out["eform"] = eform_definition_validate(data.get("eform") or [])
    except ValidationError as e:
        errors.setdefault("eform", []).extend(e.messages)
        out["eform"] = []

    channels_in = data.get("channels") or {}
    channels: dict[str, Any] = {}
    known_channels = set(Channel.objects.values_list("code", flat=True))
    known_centres = set(ServiceCentre.objects.values_list("code", flat=True))
    if not isinstance(channels_in, dict):
        error("channels", _("Choose the channels."))
        channels_in = {}
    for code, info in channels_in.items():
        if code not in known_channels:
            error("channels", _("Unknown channel “%(code)s”.") % {"code": str(code)[:30]})
            continue
        info = info or {}
        centres = sorted(set(info.get("centres") or []))
        if not set(centres) <= known_centres:
            error("channels", _("Choose service centres from the list."))
            centres = []
        channels[code] = {
            "instructions_lv": str(info.get("instructions_lv", "") or "").strip()[:5000],
            "instructions_en": str(info.get("instructions_en", "") or "").strip()[:5000],
            "centres": centres,
        }
    out["channels"] = dict(sorted(channels.items()))
    if not channels:
        error("channels", _("A service is offered on at least one channel."))
    if out["eform"] and "e_service" not in channels:
        error("eform", _("An e-form needs the online e-service channel."))
    if "e_service" in channels and not out["eform"]:
        error("eform", _("The online e-service channel needs an e-form."))

    if errors:
        raise ValidationError(errors)
    return out


def _apply_snapshot(*, service: Service, snapshot: dict[str, Any]) -> Service:
    """Make the service's rows match a (clean) snapshot: fields, life events, channels and centres."""
    for name in EDITABLE_FIELDS:
        setattr(service, name, copy.deepcopy(snapshot[name]))
    service.fee_eur = Decimal(snapshot["fee_eur"]) if snapshot.get("fee_eur") else None
    service.agency = Agency.objects.get(code=snapshot["agency"])
    service.category = Category.objects.get(slug=snapshot["category"]) if snapshot.get("category") else None
    service.save()
    service.life_events.set(LifeEvent.objects.filter(code__in=snapshot["life_events"]))
    wanted = snapshot["channels"]
    service.service_channels.exclude(channel__code__in=list(wanted)).delete()
    channels = {c.code: c for c in Channel.objects.filter(code__in=list(wanted))}
    for code, info in wanted.items():
        sc, _created = ServiceChannel.objects.update_or_create(
            service=service,
            channel=channels[code],
            defaults={"instructions_lv": info["instructions_lv"], "instructions_en": info["instructions_en"]},
        )
        sc.centres.set(ServiceCentre.objects.filter(code__in=info["centres"]))
    service_search_refresh(service_ids=[service.pk])
    return service


def _require_edit(user, service: Service) -> None:
    if not service_may_edit(user, service):
        raise PermissionDenied(_("You may not edit this service."))


# --- the editor's actions ----------------------------------------------------------------------


@transaction.atomic
def service_create(*, user, data: dict[str, Any], request=None) -> Service:
    """Create a draft service. Refuses a duplicate code and an agency the user may not edit."""
    clean = service_data_clean(data=data, user=user, creating=True)
    agency = Agency.objects.get(code=clean["agency"])
    if not service_may_edit(user, Service(agency=agency)):
        raise PermissionDenied(_("You may not create services of this agency."))
    try:
        with transaction.atomic():
            service = Service.objects.create(
                code=clean["code"], title_lv=clean["title_lv"], agency=agency, state=ServiceState.DRAFT
            )
    except IntegrityError:
        raise ValidationError({"code": [_("A service with this code already exists.")]}) from None
    _apply_snapshot(service=service, snapshot=clean)
    audit.record(
        action="catalogue.service.create",
        actor=user,
        target=service,
        request=request,
        data={"code": service.code, "agency": agency.code},
    )
    return service


@transaction.atomic
def service_update(*, service: Service, user, data: dict[str, Any], request=None) -> Service:
    """Save an editor's changes: applied at once to a draft, kept as pending changes otherwise."""
    _require_edit(user, service)
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    before = service_working_snapshot(service=locked)
    clean = service_data_clean(data=data, user=user, creating=False, current_agency=locked.agency.code)
    clean["code"] = locked.code
    changes = service_snapshot_diff(old=before, new=clean)
    if not changes:
        return locked
    if locked.state == ServiceState.DRAFT:
        _apply_snapshot(service=locked, snapshot=clean)
    else:
        live = service_snapshot(service=locked)
        locked.pending = None if clean == live else clean
        locked.save(update_fields=["pending", "updated_at"])
    audit.record(
        action="catalogue.service.update",
        actor=user,
        target=locked,
        request=request,
        data={"code": locked.code, "fields": sorted(changes), "state": locked.state},
    )
    return locked


@transaction.atomic
def service_discard_pending(*, service: Service, user, request=None) -> Service:
    _require_edit(user, service)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if locked.pending is not None:
        locked.pending = None
        locked.save(update_fields=["pending", "updated_at"])
        audit.record(
            action="catalogue.service.discard",
            actor=user,
            target=locked,
            request=request,
            data={"code": locked.code},
        )
    return locked


@transaction.atomic
def service_version_create(*, service: Service, user=None) -> ServiceVersion | None:
    """Record the service's current state as its next version, if it differs from the last one.

    Returns the new version, or None when nothing changed since the last version.
    """
    locked = Service.objects.select_for_update().get(pk=service.pk)
    last = ServiceVersion.objects.filter(service=locked).order_by("-number").first()
    snapshot = service_snapshot(service=locked)
    if last is not None and last.snapshot == snapshot:
        return None
    number = (last.number if last else 0) + 1
    version = ServiceVersion.objects.create(
        service=locked,
        number=number,
        snapshot=snapshot,
        eform=snapshot["eform"],
        changes=service_snapshot_diff(old=last.snapshot if last else None, new=snapshot),
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Service.objects.filter(pk=locked.pk).update(version=number)
    service.version = number
    return version


@transaction.atomic
def service_publish(*, service: Service, user, request=None) -> ServiceVersion | None:
    """Publish: apply pending changes, make the service public, keep the new state as a version.

    Cases filed earlier keep pointing at their own ServiceVersion, so an e-form change never
    alters them. Returns the new version (None if the content did not change since the last one).
    """
    _require_edit(user, service)
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    if locked.pending:
        pending = service_data_clean(
            data=locked.pending, user=user, creating=False, current_agency=locked.agency.code
        )
        pending["code"] = locked.code
        _apply_snapshot(service=locked, snapshot=pending)
    if locked.is_e_service:
        eform_definition_validate(locked.eform)
    previous_state = locked.state
    locked.pending = None
    locked.state = ServiceState.PUBLISHED
    locked.save(update_fields=["pending", "state", "updated_at"])
    version = service_version_create(service=locked, user=user)
    audit.record(
        action="catalogue.service.publish",
        actor=user,
        target=locked,
        request=request,
        data={
            "code": locked.code,
            "version": locked.version,
            "new_version": version is not None,
            "previous_state": previous_state,
            "fields": sorted(version.changes) if version else [],
        },
    )
    service.state, service.version, service.pending = locked.state, locked.version, None
    return version


@transaction.atomic
def service_withdraw(*, service: Service, user, request=None) -> Service:
    """Withdraw a published service: the public no longer sees it (404); its versions and cases stay."""
    _require_edit(user, service)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if locked.state != ServiceState.PUBLISHED:
        raise ValidationError(_("Only a published service can be withdrawn."))
    locked.state = ServiceState.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        action="catalogue.service.withdraw",
        actor=user,
        target=locked,
        request=request,
        data={"code": locked.code},
    )
    service.state = locked.state
    return locked
