"""Finding services: a query and filters over what a viewer sees, best first, a page at a time.

The words are folded and stemmed by catalogue.search; this module turns them into a query:
PostgreSQL full-text search (with a trigram retry for typos), or a plain substring match on SQLite.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Value

from kernel.collation import latvian
from kernel.paginators import WindowCountPaginator

from ..models import Service, ServiceChannel
from ..search import MAX_QUERY_CHARS, PG_SEARCH_CONFIG, fold, query_stems, tsquery_for
from .public import ANONYMOUS, Viewer, service_list_visible_to

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
    qs = service_list_visible_to(viewer)
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
        return _with_list_data(qs.order_by(latvian("title_lv"), "code"))
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
        qs = qs.order_by(latvian("title_lv"), "code")
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
