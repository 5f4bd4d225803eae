"""What is still missing before a service can be published: the editor's checklist.

`service_publish_checklist(snapshot)` reads a working snapshot (services.service_working_snapshot:
the pending changes of a public service, or a draft as it is) and returns what the agency should
still add, each item naming the editor's section where it is fixed. No queries: every rule reads the
snapshot only, so the editor's overview and every section page show the same list at no cost.

The list advises; it does not refuse anything (saving and publishing are checked by
services.service_data_clean).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kernel.constants import Channel

from ..constants import Audience, PaymentMode

# The editor's sections, in the order the editor shows them.
BASICS = "basics"
CHANNELS = "channels"
FEES = "fees"
PROCESSING = "processing"
AUDIENCE = "audience"
ACCESSIBILITY = "accessibility"
LEGAL = "legal"
EFORM = "eform"
SECTIONS = (BASICS, CHANNELS, FEES, PROCESSING, AUDIENCE, ACCESSIBILITY, LEGAL, EFORM)


@dataclass(frozen=True)
class Item:
    """One thing missing: the section where it is fixed, the message, and the rule's name (stable,
    language-independent: for tests and for anchors)."""

    section: str
    message: str
    rule: str = ""


Snapshot = Mapping[str, Any]


def _text(snapshot: Snapshot, key: str) -> str:
    return str(snapshot.get(key) or "").strip()


def _fee(snapshot: Snapshot) -> Decimal:
    try:
        return Decimal(str(snapshot.get("fee_eur") or "0").replace(",", "."))
    except InvalidOperation:
        return Decimal("0")


def _channels(snapshot: Snapshot) -> Mapping[str, Any]:
    channels = snapshot.get("channels")
    return channels if isinstance(channels, Mapping) else {}


# --- the rules: each returns a message when something is missing, else None ----------------------


def title_lv(snapshot: Snapshot) -> str | None:
    return None if _text(snapshot, "title_lv") else _("Enter the title in Latvian.")


def title_en(snapshot: Snapshot) -> str | None:
    return None if _text(snapshot, "title_en") else _("Enter the title in English.")


def description_lv(snapshot: Snapshot) -> str | None:
    return None if _text(snapshot, "description_lv") else _("Describe the service in Latvian.")


def description_en(snapshot: Snapshot) -> str | None:
    return None if _text(snapshot, "description_en") else _("Describe the service in English.")


def category(snapshot: Snapshot) -> str | None:
    if snapshot.get("category"):
        return None
    return _("Choose a category, so that people browsing the catalogue find the service.")


def some_channel(snapshot: Snapshot) -> str | None:
    return None if _channels(snapshot) else _("Offer the service on at least one channel.")


def centres_of_the_centre_channel(snapshot: Snapshot) -> str | None:
    """The one-stop centre channel names the centres that accept the service."""
    info = _channels(snapshot).get(Channel.VPVKAC)
    if info is None or (info or {}).get("centres"):
        return None
    return _("Choose the one-stop client service centres that accept the service.")


def eform_has_its_channel(snapshot: Snapshot) -> str | None:
    """An e-service (a service with an e-form) is offered on the online e-service channel."""
    if not snapshot.get("eform") or Channel.E_SERVICE in _channels(snapshot):
        return None
    return _("A service with an e-form needs the online e-service channel.")


def fee_has_a_payment_mode(snapshot: Snapshot) -> str | None:
    if _fee(snapshot) > 0 and snapshot.get("payment_mode", PaymentMode.NONE) == PaymentMode.NONE:
        return _("A service with a fee needs a payment mode.")
    return None


def payment_mode_has_a_fee(snapshot: Snapshot) -> str | None:
    if _fee(snapshot) <= 0 and snapshot.get("payment_mode", PaymentMode.NONE) != PaymentMode.NONE:
        return _("Enter the fee, or choose “free of charge”.")
    return None


def processing_time(snapshot: Snapshot) -> str | None:
    """A processing time of at least one working day (0 is what an unset time looks like)."""
    try:
        days = int(snapshot.get("processing_days") or 0)
    except (TypeError, ValueError):
        days = 0
    return None if days > 0 else _("Enter the processing time in working days.")


def authorised_filing_has_an_eform(snapshot: Snapshot) -> str | None:
    """A centre specialist files an authorised e-service on the service's e-form (Reg. 401 p. 2.6)."""
    if not snapshot.get("authorised_filing_allowed") or snapshot.get("eform"):
        return None
    return _("Filing under a written authorisation at a one-stop centre needs an e-form.")


def authorised_filing_for_persons(snapshot: Snapshot) -> str | None:
    """Authorised filing is offered to private persons only (services_for_authorised_filing)."""
    if snapshot.get("authorised_filing_allowed") and snapshot.get("audience") == Audience.ORGANISATION:
        return _("Filing under a written authorisation is offered for services for private persons only.")
    return None


def multichannel_facet(snapshot: Snapshot) -> str | None:
    """ "Available on several channels" is true only of a service offered on more than one."""
    if snapshot.get("facet_multichannel") and len(_channels(snapshot)) < 2:
        return _("The service is marked as available on several channels, but it is offered on one.")
    return None


def legal_basis(snapshot: Snapshot) -> str | None:
    acts = snapshot.get("legal_basis") or []
    if any(str((act or {}).get("title", "")).strip() for act in acts if isinstance(act, Mapping)):
        return None
    return _("Name the legal basis: at least one legal act.")


def e_service_channel_has_an_eform(snapshot: Snapshot) -> str | None:
    if Channel.E_SERVICE in _channels(snapshot) and not snapshot.get("eform"):
        return _("The online e-service channel needs an e-form.")
    return None


RULES: tuple[tuple[str, Callable[[Snapshot], str | None]], ...] = (
    (BASICS, title_lv),
    (BASICS, title_en),
    (BASICS, description_lv),
    (BASICS, description_en),
    (BASICS, category),
    (CHANNELS, some_channel),
    (CHANNELS, centres_of_the_centre_channel),
    (CHANNELS, eform_has_its_channel),
    (FEES, fee_has_a_payment_mode),
    (FEES, payment_mode_has_a_fee),
    (PROCESSING, processing_time),
    (AUDIENCE, authorised_filing_has_an_eform),
    (AUDIENCE, authorised_filing_for_persons),
    (ACCESSIBILITY, multichannel_facet),
    (LEGAL, legal_basis),
    (EFORM, e_service_channel_has_an_eform),
)


def service_publish_checklist(snapshot: Snapshot) -> list[Item]:
    """What is missing before publishing, in the editor's order of sections (empty: nothing)."""
    items = []
    for section, rule in RULES:
        message = rule(snapshot)
        if message:
            items.append(Item(section=section, message=message, rule=rule.__name__))
    return items


def checklist_by_section(items: list[Item]) -> dict[str, list[Item]]:
    """The items grouped by section: every section a key, in the editor's order."""
    grouped: dict[str, list[Item]] = {section: [] for section in SECTIONS}
    for item in items:
        grouped.setdefault(item.section, []).append(item)
    return grouped
