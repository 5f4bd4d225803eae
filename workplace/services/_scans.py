"""The one check of a scanned paper (a signed authorisation, an application received on paper): a PDF
by its content (the e-forms' magic bytes), up to 10 MB."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalogue.eforms import MAGIC_BYTES

SCAN_LIMIT = 10 * 1024 * 1024
SCAN_TYPES = frozenset({"application/pdf"})


def scan_errors(scan) -> list[str]:
    """Why `scan` (an upload, or None for none) is not accepted: [] when it is. Reads its head and
    puts it back where it was."""
    if scan is None:
        return []
    head = scan.read(16)
    scan.seek(0)
    if (
        getattr(scan, "content_type", "") not in SCAN_TYPES
        or scan.size > SCAN_LIMIT
        or not any(head.startswith(magic) for magic in MAGIC_BYTES[".pdf"])
    ):
        return [_("Attach the scan as a PDF file of up to 10 MB.")]
    return []
