"""The agency admin's week of notifications: per topic and channel, how many were sent, delivered and
failed. Agency admins see their agencies' notices, platform admins all; anyone else "not found"."""

from django.http import Http404
from django.shortcuts import render

from catalogue import selectors as catalogue_selectors
from eaccount import selectors as eaccount_selectors
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel

from . import selectors, topics
from .constants import NoticeChannel


@assurance_required(AssuranceLevel.SUBSTANTIAL)
def agency_stats_view(request):
    if eaccount_selectors.user_is_platform_admin(user=request.user):
        agency_ids, agencies = None, []
    else:
        agency_ids = eaccount_selectors.agency_ids_administered(user=request.user)
        if not agency_ids:
            raise Http404
        agencies = list(catalogue_selectors.agencies(ids=agency_ids).order_by("code"))
    since = selectors.week_start()
    stats = selectors.notification_stats_for_agencies(agency_ids=agency_ids, since=since)
    labels = {code: topic.label for code, topic in topics.TOPICS.items()}
    channels = dict(NoticeChannel.choices)
    rows = [(labels.get(row.topic, row.topic), channels.get(row.channel, row.channel), row) for row in stats]
    totals = {
        name: sum(getattr(row, name) for row in stats)
        for name in ("total", "sent", "delivered", "failed", "retrying")
    }
    return render(
        request,
        "notifications/agency_stats.html",
        {
            "rows": rows,
            "totals": totals,
            "since": since,
            "agencies": agencies,
            "all_agencies": agency_ids is None,
        },
    )
