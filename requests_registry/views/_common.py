"""What the registry's pages share: the login guards, the staff actor, pagination."""

from __future__ import annotations

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.paginators import SafePaginator

from ..constants import Channel

PAGE_SIZE = 20
citizen_required = assurance_required(AssuranceLevel.SUBSTANTIAL)
staff_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


def staff_actor(request, *, channel: str = Channel.AGENCY, centre_id: int | None = None):
    """The logged-in official at work: for nobody in particular, on the agency channel (at their
    one-stop centre, when given)."""
    return actor_at_work(request.actor, channel=channel, centre_id=centre_id)


def page_of(request, qs, *, paginator_class=SafePaginator, **options):
    """A page of the list: `LookaheadPaginator` for long lists whose total nobody needs (no COUNT,
    "next"), `WindowCountPaginator` to read the total from the page's own query, `CountedPaginator`
    with a `count=` known already."""
    return paginator_class(qs, PAGE_SIZE, **options).get_page(request.GET.get("page"))
