"""Text for CSV files a spreadsheet will open."""

import csv
from collections.abc import Iterable, Iterator


def csv_safe(value) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection): a leading =, +, -, @, tab or CR
    is escaped with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class Echo:
    """A file-like object whose write returns the line: `csv.writer(Echo())` into a streamed response."""

    def write(self, value):
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """A CSV file as lines to stream: the BOM first (a spreadsheet then reads it as UTF-8, Latvian
    letters and all), the header, then a line per row. Cells are written as given: pass text that
    came from people through `csv_safe`."""
    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
