"""Finding articles: Latvian words folded and their endings cut, then PostgreSQL full-text search
(`unaccent` + `simple`, every stem a prefix, ranked) with a trigram retry for typos, or a plain
substring match on SQLite.

PostgreSQL ships no Latvian stemmer, so endings are cut here (the catalogue's tested step,
`catalogue.search.stem`): "berna pabalst" becomes the stems `bern`, `pabalst`, each of which must
begin a word of the article — "Bērna piedzimšanas pabalsts" is found, and "pabalsts / pabalstu /
pabalsta", "bērns / bērna / bērnu" all find each other. Any input is safe: it is folded to [a-z0-9]
words and capped in length before it reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, Func, QuerySet, Value

from catalogue.search import MAX_QUERY_CHARS, PG_SEARCH_CONFIG, fold, query_stems, stem, tsquery_for
from kernel.collation import latvian

__all__ = [
    "article_search_text",
    "articles_matching",
    "fold",
    "query_stems",
    "search_vector",
    "stem",
    "stems_of",
    "title_vector",
]


def stems_of(text: str) -> list[str]:
    """Every word of a text, folded and with its Latvian ending cut (what a query's word is matched to)."""
    return [stem(word) for word in fold(text).split()]


def article_search_text(parts: Iterable[str | None]) -> str:
    """The stored, folded search text of an article (the SQLite match and the trigram retry read it)."""
    return " ".join(f for f in (fold(p or "") for p in parts) if f)


def search_vector():
    """The PostgreSQL vector an article is matched by: every word of its stored search text (titles,
    summaries, body, services, agency, topic), stripped of positions and weights. Ranking reads the
    small title vector instead, so the matching one can stay small: it is kept in the row, not
    TOASTed, which makes matching thousands of articles cheap."""
    return Func(
        SearchVector("search_text", config=PG_SEARCH_CONFIG),
        function="strip",
        output_field=SearchVectorField(),
    )


def title_vector():
    """The titles alone: what ranking reads (small, so ranking thousands of matches stays cheap)."""
    return SearchVector("title_lv", "title_en", weight="A", config=PG_SEARCH_CONFIG)


def articles_matching(qs: QuerySet, q: str | None, *, fuzzy: bool = False) -> QuerySet | None:
    """`qs` narrowed to the articles matching `q`, best first; None when `q` says nothing searchable
    (the caller lists in its own order); `qs.none()` when `q` has words but none worth searching."""
    stems = query_stems(q)
    if not stems:
        return qs.none() if q is not None and str(q).strip() else None
    if connection.vendor == "postgresql":
        if fuzzy:
            folded = fold(str(q)[:MAX_QUERY_CHARS])
            return (
                qs.filter(search_title__trigram_word_similar=folded)
                .annotate(rank=TrigramWordSimilarity(Value(folded), "search_title"))
                .order_by("-rank", "pk")
            )
        query = SearchQuery(tsquery_for(stems), search_type="raw", config=PG_SEARCH_CONFIG)
        return (
            qs.filter(search_vector=query)
            # title matches first, the words close together first (cover density on the small title
            # vector); then the articles found only by their bodies, services, agency or topic
            .annotate(rank=SearchRank(F("title_vector"), query, cover_density=True))
            .order_by("-rank", "pk")
        )
    for s in stems:
        qs = qs.filter(search_text__contains=s)
    return qs.order_by(latvian("title_lv"), "pk")


def wants_fuzzy(*, q: str | None, count: int) -> bool:
    """Retry a search that found nothing with trigram similarity (PostgreSQL only)."""
    return count == 0 and bool(query_stems(q)) and connection.vendor == "postgresql"
