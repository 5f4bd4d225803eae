"""HTML to PDF with WeasyPrint, for every document the portal prints (history statements, receipts,
invoices to come).

The style is passed apart from the HTML (`css`): our templates hold no inline style (CSP). Give the
text a font that has every Latvian letter (the portal's documents use "DejaVu Sans"): WeasyPrint
embeds the subset the text uses. WeasyPrint is imported on the first call only (it is heavy and
most requests print nothing).
"""

from __future__ import annotations

import os


def render_pdf(html: str, *, css: str, base_url: str | os.PathLike[str]) -> bytes:
    """The PDF of `html` styled by `css`; relative links and images resolve against `base_url`."""
    import weasyprint  # heavy: imported when a document is printed

    return weasyprint.HTML(string=html, base_url=str(base_url)).write_pdf(
        stylesheets=[weasyprint.CSS(string=css)]
    )
