"""What the registry's pages share: the login guards, the staff actor, pagination."""

from __future__ import annotations

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.paginators import LookaheadPaginator, SafePaginator, WindowCountPaginator

from ..constants import Channel

PAGE_SIZE = 20
citizen_required = assurance_required(AssuranceLevel.SUBSTANTIAL)
staff_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


def staff_actor(request, *, channel: str = Channel.AGENCY):
    """The logged-in official at work: for nobody in particular, on the agency channel."""
    return actor_at_work(request.actor, channel=channel)


def page_of(request, qs, *, counted: bool = True, count_in_page_query: bool = False):
    """A page of the list; `counted=False` for long lists whose total nobody needs (no COUNT, "next");
    `count_in_page_query` reads the total from the page's own query (one query instead of two)."""
    if not counted:
        paginator_class = LookaheadPaginator
    else:
        paginator_class = WindowCountPaginator if count_in_page_query else SafePaginator
    return paginator_class(qs, PAGE_SIZE).get_page(request.GET.get("page"))
