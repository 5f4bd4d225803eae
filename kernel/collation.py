"""Latvian alphabetical order: Č after C, Ģ after G, Š after S, Ž after Z (never after Z).

`latvian("name_lv")` is an expression for `order_by(...)`: the column under the collation
`lv-x-icu`. PostgreSQL has it (ICU's Latvian, made with the cluster); SQLite has no ICU, so
`register_sqlite_collation` (connected to `connection_created` in `KernelConfig.ready`) gives every
new SQLite connection a collation of that name comparing by `sort_key`, which orders as ICU does:

- letters by their base letter, with the Latvian letters č ģ ķ ļ ņ š ž (and the old ŗ) each a letter of its own
  right after its base (ICU's Latvian tailoring, from the national standard);
- ā ē ī ū (and other accented letters, and y as an i) are their base letter with an accent: they
  differ from it only when the words are otherwise equal (abele < ābele < abelei, Ābele < Auce);
- then lower case before upper case; spaces and punctuation before digits before letters.

`sort_key` also orders lists that are sorted in Python (choices built from several names).
"""

from __future__ import annotations

import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

LATVIAN = "lv-x-icu"

# letters of their own in Latvian, each sorting right after the letter given
_LETTER_AFTER = {"č": "c", "ģ": "g", "ķ": "k", "ļ": "l", "ņ": "n", "ŗ": "r", "š": "s", "ž": "z"}
# y is an i that differs only after every accented i (ia < īa < ya < ib)
_Y_ACCENT = "\uffff"
# spaces, punctuation and symbols in ICU's order; others after them, by code point
_PUNCTUATION_ORDER = {
    char: rank for rank, char in enumerate(" _-–—,;:!?.'\"“”„«»()[]{}§¶@*/\\&#%‰`^°+±<=>|~$€")
}

_PUNCTUATION, _DIGIT, _LETTER = 0, 1, 2


def _weights(char: str) -> tuple[tuple[int, int, int], str]:
    """(primary, secondary) of one character: its place in the alphabet, and its accents."""
    lower = char.lower()[:1] or char
    base = _LETTER_AFTER.get(lower)
    if base is not None:
        return (_LETTER, ord(base), 1), ""
    if lower == "y":
        return (_LETTER, ord("i"), 0), _Y_ACCENT
    decomposed = unicodedata.normalize("NFD", lower)
    letter, accents = decomposed[0], decomposed[1:]
    if letter.isalpha():
        return (_LETTER, ord(letter), 0), accents
    if letter.isdigit():
        return (_DIGIT, ord(letter), 0), accents
    return (_PUNCTUATION, _PUNCTUATION_ORDER.get(letter, 0x10000 + ord(letter)), 0), accents


def sort_key(value: str) -> tuple:
    """A key ordering strings the Latvian way (ICU's `lv` collation): alphabet, accents, case."""
    weights = [_weights(char) for char in value]
    primary = tuple(w[0] for w in weights)
    secondary = tuple(w[1] for w in weights)
    tertiary = tuple(char != char.lower() for char in value)
    return (primary, secondary, tertiary, value)


def latvian_compare(left: str, right: str) -> int:
    """The SQLite collation's comparison: -1, 0 or 1."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def latvian(field_name: str) -> Collate:
    """`field_name` in Latvian alphabetical order, for `order_by(latvian("name_lv"))`; add
    `.desc()` for the reverse."""
    return Collate(F(field_name), LATVIAN)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give a new SQLite connection the `lv-x-icu` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(LATVIAN, latvian_compare)
