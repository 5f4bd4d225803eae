"""Search text: fold Latvian text to ASCII, cut Latvian endings, build the stored search text.

"Bērna piedzimšanas pabalsts" is stored as "berna piedzimsanas pabalsts"; the query "berna pabalst"
becomes the stems ["bern", "pabalst"], each of which must begin a word (PostgreSQL, `bern:*`) or
occur in the text (SQLite). Long or hostile input is cut down before it reaches the database: at most
MAX_QUERY_CHARS characters, MAX_TOKENS stems of letters and digits only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The PostgreSQL text search configuration (unaccent + simple) that migration 0004 creates; the
# migrations spell the name out themselves, so they stay valid whatever this module becomes.
PG_SEARCH_CONFIG = "pspp_lv"

MAX_QUERY_CHARS = 200
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 30
MIN_STEM = 3

# Latvian noun, adjective and verb endings, folded to ASCII, longest first.
ENDINGS = (
    "ajiem",
    "ajam",
    "ajai",
    "ajas",
    "ajos",
    "iem",
    "ais",
    "aja",
    "ajo",
    "am",
    "em",
    "im",
    "um",
    "os",
    "as",
    "es",
    "is",
    "us",
    "ai",
    "ei",
    "ie",
    "a",
    "e",
    "i",
    "u",
    "s",
    "o",
)

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case ASCII: diacritics dropped, everything but letters and digits turned into spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def stem(word: str) -> str:
    """Cut one Latvian ending when at least MIN_STEM letters remain ("berna" -> "bern")."""
    if word.isdigit():
        return word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def query_stems(query: str | None) -> list[str]:
    """The stems of a user's query, deduplicated, at most MAX_TOKENS; [] when nothing is left."""
    if not query:
        return []
    text = str(query)
    words = fold(text[:MAX_QUERY_CHARS]).split()
    if len(text) > MAX_QUERY_CHARS and not text[MAX_QUERY_CHARS].isspace() and len(words) > 1:
        words = words[:-1]  # the cut fell inside a word
    stems: list[str] = []
    for word in words:
        s = stem(word[:MAX_TOKEN_CHARS])
        if s and s not in stems:
            stems.append(s)
        if len(stems) >= MAX_TOKENS:
            break
    return stems


def search_text_for(parts: Iterable[str | None]) -> str:
    """The stored search text of a service from its words (code, titles, descriptions, agency…)."""
    return " ".join(f for f in (fold(p or "") for p in parts) if f)


def tsquery_for(stems: list[str]) -> str:
    """A raw tsquery: every stem as a prefix, all required. Stems hold only [a-z0-9], so it is safe."""
    return " & ".join(f"{s}:*" for s in stems)
