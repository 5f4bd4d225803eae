"""What a viewer sees: published services, a service page with its channels, categories and life
events (see the package docstring for who sees what)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language, gettext_lazy

from kernel.collation import latvian

from ..constants import Audience, ServiceState
from ..models import Agency, Category, Channel, LifeEvent, Service, ServiceCentre, ServiceChannel


class ServiceNotFound(Service.DoesNotExist):
    """A service that does not exist or is not visible to the asker (the same answer for both)."""


@dataclass(frozen=True)
class Viewer:
    """What the catalogue needs to know about who is looking (see the package docstring)."""

    audiences: frozenset[str] | None = None
    municipality_id: int | None = None
    is_official: bool = False
    # acting for a minor: only the services a minor may be the client of are offered
    for_minor: bool = False


ANONYMOUS = Viewer()


def valid_code(code) -> bool:
    """Whether `code` looks like a service code (so it is worth a query)."""
    return isinstance(code, str) and code.isdigit() and 4 <= len(code) <= 6


def service_get_published(*, code: str) -> Service:
    """The published service with this code; ServiceNotFound for drafts, withdrawn and missing ones."""
    if not valid_code(code):
        raise ServiceNotFound(code)
    try:
        return Service.objects.select_related("agency", "category").get(
            code=code, state=ServiceState.PUBLISHED
        )
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


def service_list_visible(
    *,
    audiences: Collection[str] | None = None,
    municipality_id: int | None = None,
    is_official: bool = False,
    for_minor: bool = False,
) -> QuerySet[Service]:
    """Published services this viewer sees (see the package docstring)."""
    qs = Service.objects.filter(state=ServiceState.PUBLISHED)
    if for_minor:
        qs = qs.filter(minor_may_be_client=True)
    if is_official:
        return qs
    qs = qs.filter(internal=False)
    if audiences is not None:
        qs = qs.filter(audience__in=list(audiences))
        qs = qs.filter(Q(municipality_specific=False) | Q(agency_id=municipality_id))
    return qs


def service_list_visible_to(viewer: Viewer) -> QuerySet[Service]:
    return service_list_visible(
        audiences=viewer.audiences,
        municipality_id=viewer.municipality_id,
        is_official=viewer.is_official,
        for_minor=viewer.for_minor,
    )


def service_get_visible(*, code: str, viewer: Viewer = ANONYMOUS) -> Service:
    """The service page: any published public service (internal ones for officials only); else ServiceNotFound.

    The page is reachable by its address for every published public service, whatever the viewer's
    context; the context narrows lists and search, not a page someone links to.
    """
    if not valid_code(code):
        raise ServiceNotFound(code)
    qs = service_list_visible(is_official=viewer.is_official)
    try:
        return qs.select_related("agency", "category", "category__parent").get(code=code)
    except Service.DoesNotExist:
        raise ServiceNotFound(code) from None


@dataclass
class ChannelView:
    """One channel of a service page: the channel, how to apply there, the centres that accept it."""

    channel: Channel
    instructions: str
    centres: list[ServiceCentre]


DEFAULT_INSTRUCTIONS = {
    "e_service": gettext_lazy("Apply online in the portal after logging in with an eID means."),
    "vpvkac": gettext_lazy(
        "Come to a one-stop client service centre with your identity document; a specialist helps you apply."
    ),
    "agency": gettext_lazy("Apply in person at a client service office of the agency."),
    "phone": gettext_lazy("Call the single call centre of the state administration."),
    "post": gettext_lazy("Send a signed application to the agency by post."),
    "email": gettext_lazy(
        "Send an application signed with a qualified e-signature to the agency's e-mail address."
    ),
}


def channel_instructions(code: str, text: str) -> str:
    """The agency's own instructions for a channel, else the default ones."""
    return text or str(DEFAULT_INSTRUCTIONS.get(code, ""))


def pick_language(lv: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") and en else lv


def service_page_channels(*, service: Service) -> list[ChannelView]:
    """The channels of a service with their centres: two queries."""
    rows = (
        service.service_channels.select_related("channel").prefetch_related("centres").order_by("channel_id")
    )
    return [
        ChannelView(
            sc.channel, channel_instructions(sc.channel.code, sc.instructions), list(sc.centres.all())
        )
        for sc in rows
    ]


def service_with_details(*, service: Service) -> Service:
    """The service again with everything its API detail shows, in a fixed number of queries."""
    return (
        Service.objects.select_related("agency", "category")
        .prefetch_related(
            Prefetch(
                "service_channels",
                queryset=ServiceChannel.objects.select_related("channel")
                .prefetch_related("centres")
                .order_by("channel_id"),
            ),
            "life_events",
        )
        .get(pk=service.pk)
    )


# --- navigation -------------------------------------------------------------------------------------


def category_tree() -> list[Category]:
    """Top categories, each with `.children` prefetched (two queries)."""
    return list(
        Category.objects.filter(parent__isnull=True)
        .order_by(latvian("name_lv"))
        .prefetch_related(Prefetch("children", queryset=Category.objects.order_by(latvian("name_lv"))))
    )


def category_get(*, slug: str) -> Category:
    return Category.objects.select_related("parent").get(slug=str(slug)[:80])


def life_event_list() -> list[LifeEvent]:
    return list(LifeEvent.objects.order_by(latvian("name_lv")))


def life_event_get(*, code: str) -> LifeEvent:
    return LifeEvent.objects.get(code=str(code)[:60])


def _choices(qs: QuerySet[Service]) -> list[Service]:
    """(code, titles) of the services, by code: what a filter's choices show."""
    return list(qs.order_by("code").only("code", "title_lv", "title_en"))


def services_of_agencies(*, agency_ids: Collection[int]) -> list[Service]:
    """The agencies' services, any state, for filters' choices."""
    return _choices(Service.objects.filter(agency_id__in=list(agency_ids)))


def services_published_choices() -> list[Service]:
    """Every published service, for the choices of one who serves clients of every agency (a
    one-stop centre's specialist)."""
    return _choices(Service.objects.filter(state=ServiceState.PUBLISHED))


def services_for_authorised_filing() -> list[Service]:
    """The published services for persons whose catalogue entry allows an authorised e-service
    (Reg. 401 point 2.6) and that have an e-form: the one-stop centre's choices for one."""
    return _choices(
        Service.objects.filter(
            state=ServiceState.PUBLISHED, authorised_filing_allowed=True, audience=Audience.PERSON
        ).exclude(eform=[])
    )


def services_by_ids(*, ids) -> list[Service]:
    """These services (ids, or a subquery of ids), for filters' choices."""
    return _choices(Service.objects.filter(pk__in=ids))


def service_codes_delegable(*, codes: Collection[str] | None = None) -> QuerySet[Service]:
    """The codes (a values queryset, usable as a subquery) of the services a delegation may cover:
    every delegable one, or those of `codes`."""
    qs = Service.objects.filter(delegable=True)
    if codes is not None:
        qs = qs.filter(code__in=sorted(codes))
    return qs.values("code")


def service_codes_where(
    *, agency_code: str | None = None, title_contains: str | None = None
) -> QuerySet[Service]:
    """The codes (a values queryset, usable as a subquery) of the services of an agency (by code)
    and/or whose Latvian or English title contains the text: the history's filters of messages."""
    qs = Service.objects.all()
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if title_contains:
        qs = qs.filter(Q(title_lv__icontains=title_contains) | Q(title_en__icontains=title_contains))
    return qs.values("code")


def services_by_codes(*, codes: Collection[str]) -> dict[str, Service]:
    """These services with their agency, by code (one query)."""
    if not codes:
        return {}
    qs = Service.objects.filter(code__in=sorted(set(codes))).select_related("agency")
    return {s.code: s for s in qs.only("code", "title_lv", "title_en", "agency__name_lv", "agency__name_en")}


def services_delegable_offered() -> list[Service]:
    """(code, titles) of the published public services one may delegate, by code (the form's choices)."""
    return _choices(Service.objects.filter(state=ServiceState.PUBLISHED, delegable=True, internal=False))


def agencies(*, ids: Collection[int] | None = None, kind: str | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.all()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs


def agency_get_by_code(*, code: str) -> Agency | None:
    return Agency.objects.filter(code__iexact=(code or "").strip()).first()


def centres(*, ids: Collection[int] | None = None) -> QuerySet[ServiceCentre]:
    qs = ServiceCentre.objects.all()
    return qs if ids is None else qs.filter(pk__in=list(ids))


def centre_get_by_code(*, code: str) -> ServiceCentre | None:
    return ServiceCentre.objects.filter(code=code).first()
