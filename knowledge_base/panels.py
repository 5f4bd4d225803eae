"""The public FAQ of a catalogue service page (registered in apps.py with catalogue.service_page):
the question/answer pairs of the public, published articles about the service, and links to them.
One query, whatever the number of articles."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalogue.service_page import ServicePagePanel

from .content import stored_html
from .selectors import service_faq_articles


def service_page_faq_panels(*, service, viewer) -> list[ServicePagePanel]:
    articles = service_faq_articles(service_id=service.pk)
    if not articles:
        return []
    entries = []
    for article in articles:
        for pair in article.html.get("faq") or []:
            entries.append((pair["q"], stored_html(pair["a"])))
    links = [(article.get_absolute_url(), article.title) for article in articles]
    return [
        ServicePagePanel(
            title=_("Frequently asked questions"),
            entries=entries,
            links=links,
            testid="service-faq",
        )
    ]


__all__ = ["service_page_faq_panels"]
