"""Checking an editor's data: a snapshot-shaped dict in, the same normalised out, or errors by field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from kernel.constants import Channel as KernelChannel

from ..constants import SERVICE_CODE_REGEX, Audience, PaymentMode
from ..eforms import eform_definition_validate
from ..models import Category, Channel, LifeEvent, Service, ServiceCentre
from ..permissions import agencies_editable
from .snapshots import BOOLEAN_FIELDS

TEXT_LIMITS = {"title_lv": 400, "title_en": 400, "description_lv": 20000, "description_en": 20000}


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
    # the names the editor's checkboxes show, so a message names a channel the way the form does
    channel_names = {c.code: c.name for c in Channel.objects.all()}
    known_channels = set(channel_names)
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
    e_service = channel_names.get(KernelChannel.E_SERVICE, KernelChannel.E_SERVICE.label)
    if out["eform"] and KernelChannel.E_SERVICE not in channels:
        error("eform", _("An e-form needs the channel “%(channel)s”.") % {"channel": e_service})
    if KernelChannel.E_SERVICE in channels and not out["eform"]:
        error("eform", _("The channel “%(channel)s” needs an e-form.") % {"channel": e_service})

    if errors:
        raise ValidationError(errors)
    return out
