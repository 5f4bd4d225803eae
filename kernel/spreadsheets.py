"""Text for CSV files a spreadsheet will open."""


def csv_safe(value) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection): a leading =, +, -, @, tab or CR
    is escaped with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class Echo:
    """A file-like object whose write returns the line: `csv.writer(Echo())` into a streamed response."""

    def write(self, value):
        return value
