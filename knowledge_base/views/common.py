"""What the knowledge base's pages share: the viewer, the official's Actor, "not found"."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.constants import Channel

from .. import rules, selectors
from ..exceptions import ArticleNotFound

PAGE_SIZE = 20
official_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


def viewer_of(request) -> rules.KbViewer:
    return rules.viewer_for(getattr(request, "user", None))


def actor_of(request, viewer: rules.KbViewer):
    """The official at work, for nobody in particular; at their centre when they have one."""
    centre_id = next(iter(viewer.centre_ids)) if len(viewer.centre_ids) == 1 else None
    channel = Channel.VPVKAC if centre_id else Channel.AGENCY
    return actor_at_work(request.actor, channel=channel, centre_id=centre_id)


def article_or_404(viewer, pk):
    try:
        return selectors.article_get_for(viewer=viewer, pk=pk)
    except ArticleNotFound:
        raise Http404 from None


def require_official(viewer) -> None:
    if not viewer.is_official:
        raise Http404


def pick(node: dict, name: str) -> str:
    if get_language() == "en" and node.get(f"{name}_en"):
        return node[f"{name}_en"]
    return node.get(f"{name}_lv", "")
