"""What the apps above the registry show on a case's page (the client's and the agency's), through
providers they register in their `AppConfig.ready()` — e.g. payments: the case's invoices and
whether they are paid. A provider gets the case its viewer may already see and returns panels;
the registry renders them without knowing what they are about."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CasePanel:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, text)
    testid: str = ""


CasePanelProvider = Callable[..., list[CasePanel]]  # (*, case, for_staff: bool)

_providers: list[CasePanelProvider] = []


def case_panel_provider_register(provider: CasePanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def case_panels(*, case, for_staff: bool) -> list[CasePanel]:
    panels: list[CasePanel] = []
    for provider in _providers:
        panels.extend(provider(case=case, for_staff=for_staff))
    return panels
