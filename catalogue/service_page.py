"""What the apps above the catalogue show on a service's public page, through providers they
register in their `AppConfig.ready()` — e.g. knowledge_base: the service's public FAQ. A provider
gets the service and the page's `Viewer` and returns panels; the catalogue renders them without
knowing what they are about.

A panel's `entries` are (heading, html) pairs: `html` must be a SafeString the provider made safe
(sanitised) itself; a plain str is escaped like any other text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServicePagePanel:
    title: str
    entries: list[tuple[str, str]] = field(default_factory=list)  # (heading, html)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, text)
    testid: str = ""


ServicePagePanelProvider = Callable[..., list[ServicePagePanel]]  # (*, service, viewer)

_providers: list[ServicePagePanelProvider] = []


def service_page_panels_provider_register(provider: ServicePagePanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def service_page_panels(*, service, viewer) -> list[ServicePagePanel]:
    panels: list[ServicePagePanel] = []
    for provider in _providers:
        panels.extend(provider(service=service, viewer=viewer))
    return panels
