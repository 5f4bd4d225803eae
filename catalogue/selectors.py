"""Reads of the catalogue, and who may see what.

Visibility ("in context", concept 4.4.1.1) is decided from the viewer's facts, passed in as
arguments so the catalogue needs nothing from the apps above it:
- anonymous visitors (`audiences=None`): every published service that is not internal;
- a logged-in person: the services for their audience(s) (persons; organisations too when they
  represent a company), minus municipality-specific services of other municipalities;
- officials (`is_official=True`): everything published, including internal services.
Drafts and withdrawn services are never visible here (the editing pages use their own selectors).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kernel.paginators import WindowCountPaginator

from .constants import ServiceState
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
from .search import MAX_QUERY_CHARS, fold, query_stems, tsquery_for

PG_SEARCH_CONFIG = "pspp_lv"
PREVIEW_FIELDS = {
    f.name for f in Service._meta.get_fields() if getattr(f, "concrete", False) and not f.is_relation
} - {"id", "code", "state", "version", "pending", "search_text", "search_vector", "fee_eur"}


class ServiceNotFound(Service.DoesNotExist):
    """A service that does not exist or is not visible to the asker (the same answer for both)."""


@dataclass(frozen=True)
class Viewer:
    """What the catalogue needs to know about who is looking (see the module docstring)."""

    audiences: frozenset[str] | None = None
    municipality_id: int | None = None
    is_official: bool = False


ANONYMOUS = Viewer()


def _valid_code(code) -> bool:
    return isinstance(code, str) and code.isdigit() and 4 <= len(code) <= 6


def service_get_published(*, code: str) -> Service:
    """The published service with this code; ServiceNotFound for drafts, withdrawn and missing ones."""
    if not _valid_code(code):
        raise ServiceNotFound(code)
    try:
        return Service.objects.select_related("agency", "category").get(
            code=code, state=ServiceState.PUBLISHED
        )
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


def service_version_current(*, service: Service) -> ServiceVersion:
    """The version a new case is filed under: the service's last published version.

    Raises ServiceVersion.DoesNotExist when the service was never published.
    """
    version = ServiceVersion.objects.filter(service=service).order_by("-number").first()
    if version is None:
        raise ServiceVersion.DoesNotExist(f"service {service.code} has no published version")
    return version


def service_version_get(*, service: Service, number: int) -> ServiceVersion:
    return ServiceVersion.objects.get(service=service, number=number)


# --- what a viewer sees ---------------------------------------------------------------------------


def service_list_visible(
    *,
    audiences: Collection[str] | None = None,
    municipality_id: int | None = None,
    is_official: bool = False,
) -> QuerySet[Service]:
    """Published services this viewer sees (see the module docstring)."""
    qs = Service.objects.filter(state=ServiceState.PUBLISHED)
    if is_official:
        return qs
    qs = qs.filter(internal=False)
    if audiences is not None:
        qs = qs.filter(audience__in=list(audiences))
        qs = qs.filter(Q(municipality_specific=False) | Q(agency_id=municipality_id))
    return qs


def _visible(viewer: Viewer) -> QuerySet[Service]:
    return service_list_visible(
        audiences=viewer.audiences, municipality_id=viewer.municipality_id, is_official=viewer.is_official
    )


def service_get_visible(*, code: str, viewer: Viewer = ANONYMOUS) -> Service:
    """The service page: any published public service (internal ones for officials only); else ServiceNotFound.

    The page is reachable by its address for every published public service, whatever the viewer's
    context; the context narrows lists and search, not a page someone links to.
    """
    if not _valid_code(code):
        raise ServiceNotFound(code)
    qs = service_list_visible(is_official=viewer.is_official)
    try:
        return qs.select_related("agency", "category", "category__parent").get(code=code)
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


@dataclass
class ChannelView:
    """One channel of a service page: the channel, how to apply there, the centres that accept it."""

    channel: Channel
    instructions: str
    centres: list[ServiceCentre]


DEFAULT_INSTRUCTIONS = {
    "e_service": gettext_lazy("Apply online in the portal after logging in with an eID means."),
    "vpvkac": gettext_lazy(
        "Come to a one-stop client service centre with your identity document; a specialist helps you apply."
    ),
    "agency": gettext_lazy("Apply in person at a client service office of the agency."),
    "phone": gettext_lazy("Call the single call centre of the state administration."),
    "post": gettext_lazy("Send a signed application to the agency by post."),
    "email": gettext_lazy(
        "Send an application signed with a qualified e-signature to the agency's e-mail address."
    ),
}


def _instructions(code: str, text: str) -> str:
    return text or str(DEFAULT_INSTRUCTIONS.get(code, ""))


def _pick(lv: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") and en else lv


def service_page_channels(*, service: Service) -> list[ChannelView]:
    """The channels of a service with their centres: two queries."""
    rows = (
        service.service_channels.select_related("channel").prefetch_related("centres").order_by("channel_id")
    )
    return [
        ChannelView(sc.channel, _instructions(sc.channel.code, sc.instructions), list(sc.centres.all()))
        for sc in rows
    ]


def service_preview(*, service: Service, snapshot: dict) -> dict:
    """What the service page will show once `snapshot` is published: an unsaved copy and its parts."""
    copy = Service(pk=service.pk, code=service.code, state=service.state, version=service.version)
    for name in snapshot:
        if name in PREVIEW_FIELDS:
            setattr(copy, name, snapshot[name])
    copy.fee_eur = Decimal(snapshot["fee_eur"]) if snapshot.get("fee_eur") else None
    copy.agency = Agency.objects.filter(code=snapshot.get("agency")).first() or service.agency
    copy.category = (
        Category.objects.filter(slug=snapshot.get("category") or "").select_related("parent").first()
    )
    channel_map = {c.code: c for c in Channel.objects.filter(code__in=list(snapshot.get("channels", {})))}
    centre_codes = {
        code for info in snapshot.get("channels", {}).values() for code in info.get("centres", [])
    }
    centre_map = {c.code: c for c in ServiceCentre.objects.filter(code__in=centre_codes)}
    channels = [
        ChannelView(
            channel_map[code],
            _instructions(code, _pick(info.get("instructions_lv", ""), info.get("instructions_en", ""))),
            [centre_map[c] for c in info.get("centres", []) if c in centre_map],
        )
        for code, info in sorted(
            snapshot.get("channels", {}).items(), key=lambda item: channel_map[item[0]].pk
        )
        if code in channel_map
    ]
    return {
        "preview": copy,
        "channels": channels,
        "life_events": list(LifeEvent.objects.filter(code__in=snapshot.get("life_events", []))),
        "has_pending": service.pending is not None,
    }


LIST_FIELDS = (
    "code",
    "state",
    "title_lv",
    "title_en",
    "audience",
    "fee_eur",
    "payment_mode",
    "processing_days",
    "internal",
    "eform",
    "version",
    "agency__code",
    "agency__name_lv",
    "agency__name_en",
)


def _with_list_data(qs: QuerySet[Service]) -> QuerySet[Service]:
    """What a list row shows: a few columns (not the search vector or descriptions), the agency,
    and the channels (one extra query per page)."""
    return (
        qs.select_related("agency")
        .only(*LIST_FIELDS)
        .prefetch_related(
            Prefetch(
                "service_channels",
                queryset=ServiceChannel.objects.select_related("channel")
                .only("service_id", "channel__code", "channel__name_lv", "channel__name_en")
                .order_by("channel_id"),
            )
        )
    )


def service_search(
    *,
    viewer: Viewer = ANONYMOUS,
    q: str | None = None,
    agency: str | None = None,
    life_event: str | None = None,
    channel: str | None = None,
    audience: str | None = None,
    category: str | None = None,
    fuzzy: bool = False,
) -> QuerySet[Service]:
    """Visible services matching a query and filters, best first (by rank with a query, else by title).

    The query forgives Latvian endings and missing diacritics: "berna pabalst" finds "Bērna
    piedzimšanas pabalsts". On PostgreSQL: full-text search (`pspp_lv` = unaccent + simple, every
    stem a prefix, all required) ranked by cover density on the titles; with `fuzzy=True`, trigram word similarity
    on the folded titles instead, which catches typos ("piedzimsanss"): service_search_page asks for
    it only when the full-text search found nothing. On SQLite: every stem must occur in the folded
    text (`fuzzy` changes nothing there). Any input is safe:
    it is folded to [a-z0-9] words and capped in length before it reaches the database.
    """
    qs = _visible(viewer)
    if agency:
        qs = qs.filter(agency__code=str(agency)[:20])
    if life_event:
        qs = qs.filter(life_events__code=str(life_event)[:60])
    if channel:
        qs = qs.filter(service_channels__channel__code=str(channel)[:20])
    if audience:
        qs = qs.filter(audience=str(audience)[:20])
    if category:
        slug = str(category)[:80]
        qs = qs.filter(Q(category__slug=slug) | Q(category__parent__slug=slug))
    stems = query_stems(q)
    if q is not None and str(q).strip() and not stems:
        return _with_list_data(qs.none())
    if not stems:
        return _with_list_data(qs.order_by("title_lv", "code"))
    if connection.vendor == "postgresql":
        query = SearchQuery(tsquery_for(stems), search_type="raw", config=PG_SEARCH_CONFIG)
        if fuzzy:
            # a typo ("piedzimsanss")? trigram word similarity on the folded titles
            folded = fold(str(q)[:MAX_QUERY_CHARS])
            return _with_list_data(
                qs.filter(search_title__trigram_word_similar=folded)
                .annotate(rank=TrigramWordSimilarity(Value(folded), "search_title"))
                .order_by("-rank", "code")
            )
        matched = qs.filter(search_vector=query)
        # ranked by the code and titles alone (a small vector, cheap to rank thousands of matches):
        # title matches first, the words standing close together first (cover density); then the
        # services found only by their description, agency, category or life events
        qs = matched.annotate(rank=SearchRank(F("title_vector"), query, cover_density=True)).order_by(
            "-rank", "code"
        )
    else:
        for s in stems:
            qs = qs.filter(search_text__contains=s)
        qs = qs.order_by("title_lv", "code")
    return _with_list_data(qs)


def search_wants_fuzzy(*, q: str | None, count: int) -> bool:
    """Whether to retry a search that found nothing with trigram similarity (PostgreSQL only)."""
    return count == 0 and bool(query_stems(q)) and connection.vendor == "postgresql"


def service_search_page(*, page_number, page_size: int = 20, **search) -> Page:
    """One page of service_search; a PostgreSQL search that finds nothing is retried fuzzily.

    Two queries with results (the page with its total, the channels); more for a retried typo.
    """
    page = WindowCountPaginator(service_search(**search), page_size).get_page(page_number)
    if search_wants_fuzzy(q=search.get("q"), count=page.paginator.count):
        page = WindowCountPaginator(service_search(**search, fuzzy=True), page_size).get_page(page_number)
    return page


# --- navigation -------------------------------------------------------------------------------------


def category_tree() -> list[Category]:
    """Top categories, each with `.children` prefetched (two queries)."""
    return list(
        Category.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Category.objects.order_by("name_lv"))
        )
    )


def category_get(*, slug: str) -> Category:
    return Category.objects.select_related("parent").get(slug=str(slug)[:80])


def life_event_list() -> list[LifeEvent]:
    return list(LifeEvent.objects.all())


def life_event_get(*, code: str) -> LifeEvent:
    return LifeEvent.objects.get(code=str(code)[:60])


# --- editing ----------------------------------------------------------------------------------------


def service_list_editable(*, agency_ids: Collection[int] | None) -> QuerySet[Service]:
    """Every state, for the editing pages: all services (agency_ids=None) or those of these agencies."""
    qs = Service.objects.select_related("agency")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs.order_by("code")


def service_get_any(*, code: str) -> Service:
    """Any state, for the editing pages (which check service_may_edit themselves)."""
    if not _valid_code(code):
        raise ServiceNotFound(code)
    try:
        return Service.objects.select_related("agency", "category", "category__parent").get(code=code)
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


def service_versions(*, service: Service) -> list[ServiceVersion]:
    return list(
        ServiceVersion.objects.filter(service=service).select_related("published_by").order_by("-number")
    )


EXTRA_LABELS = {
    "agency": lambda: _("Holder agency"),
    "category": lambda: _("Category"),
    "life_events": lambda: _("Life events"),
    "channels": lambda: _("Channels"),
    "fee_eur": lambda: _("Fee (EUR)"),
    "eform": lambda: _("E-form"),
    "code": lambda: _("Service code"),
    "legal_basis": lambda: _("Legal basis"),
}


def _field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name]())
    try:
        return str(Service._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - an old snapshot key
        return name


def _display(name: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "channels" and isinstance(value, dict):
        parts = []
        for code, info in value.items():
            centres = ", ".join(info.get("centres", []))
            parts.append(f"{code}" + (f" ({centres})" if centres else ""))
        return "; ".join(parts)
    if name == "legal_basis" and isinstance(value, list):
        return "; ".join(f"{i.get('title', '')} {i.get('url', '')}".strip() for i in value)
    if name == "eform" and isinstance(value, list):
        return ", ".join(f"{f.get('name')} ({f.get('type')})" for f in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _eform_summary_display(summary: dict) -> str:
    parts = []
    if summary.get("added"):
        parts.append(_("added: %(names)s") % {"names": ", ".join(summary["added"])})
    if summary.get("removed"):
        parts.append(_("removed: %(names)s") % {"names": ", ".join(summary["removed"])})
    if summary.get("changed"):
        parts.append(_("changed: %(names)s") % {"names": ", ".join(summary["changed"])})
    if summary.get("reordered"):
        parts.append(_("fields reordered"))
    return "; ".join(parts)


def service_versions_display(*, service: Service) -> list[dict]:
    """The history page: every version (newest first) with who, when and a row per changed field."""
    rows = []
    for version in service_versions(service=service):
        changes = []
        for name, change in (version.changes or {}).items():
            changes.append(
                {
                    "field": name,
                    "label": _field_label(name),
                    "old": _display(name, change.get("old")),
                    "new": _display(name, change.get("new")),
                    "summary": _eform_summary_display(change.get("summary") or {}) if name == "eform" else "",
                }
            )
        rows.append({"version": version, "changes": changes, "first": version.number == 1})
    return rows


def service_with_details(*, service: Service) -> Service:
    """The service again with everything its API detail shows, in a fixed number of queries."""
    return (
        Service.objects.select_related("agency", "category")
        .prefetch_related(
            Prefetch(
                "service_channels",
                queryset=ServiceChannel.objects.select_related("channel")
                .prefetch_related("centres")
                .order_by("channel_id"),
            ),
            "life_events",
        )
        .get(pk=service.pk)
    )
