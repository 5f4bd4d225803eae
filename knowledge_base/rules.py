"""Who may see and do what in the knowledge base: one predicate per rule, asked by the services
(after locking the row) and by the pages (to show a button) alike.

The viewer's facts come from their active staff roles (eaccount.selectors.staff_role_facts, cached):
- agency staff and agency admins ("editors") of an agency: its articles and scripts are theirs to
  edit, and they see its holders' articles;
- one-stop centre specialists and centre admins: they add their centre's notes to any article they see;
- any official (agency, centre or platform) sees the providers' articles, subscribes, runs scripts;
- a platform admin sees every audience of every agency (the ministry manages the whole catalogue);
- citizens and anonymous visitors: public articles only.
Every audience sees published articles only (publish dates), except an agency's own staff, who see
their agency's unpublished ones too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from eaccount.constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from eaccount.selectors import staff_role_facts

from .constants import ArticleAudience


@dataclass(frozen=True)
class KbViewer:
    user_id: int | None = None
    agency_ids: frozenset[int] = frozenset()  # agencies whose staff (or admin) the user is
    centre_ids: frozenset[int] = frozenset()  # centres whose specialist (or admin) the user is
    platform_admin: bool = False

    @property
    def is_official(self) -> bool:
        return bool(self.agency_ids or self.centre_ids or self.platform_admin)

    @property
    def audiences(self) -> frozenset[str]:
        """The audiences of every agency's articles this viewer sees (holders' of their own agency aside)."""
        if self.platform_admin:
            return frozenset(ArticleAudience.values)
        if self.is_official:
            return frozenset({ArticleAudience.PUBLIC, ArticleAudience.PROVIDERS})
        return frozenset({ArticleAudience.PUBLIC})


NOBODY = KbViewer()


def viewer_for(user) -> KbViewer:
    """The viewer's facts from their active roles (no query when the role facts are cached)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    facts = staff_role_facts(user=user)
    return KbViewer(
        user_id=user.pk,
        agency_ids=frozenset(agency for kind, agency, _c in facts if kind in AGENCY_ROLES and agency),
        centre_ids=frozenset(centre for kind, _a, centre in facts if kind in CENTRE_ROLES and centre),
        platform_admin=any(kind == StaffRoleKind.PLATFORM_ADMIN for kind, _a, _c in facts),
    )


def viewer_for_actor(actor) -> KbViewer:
    return viewer_for(getattr(actor, "user_or_none", None))


def published_q(now: datetime | None = None, prefix: str = "") -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}publish_from__isnull": False, f"{prefix}publish_from__lte": now}) & (
        Q(**{f"{prefix}publish_until__isnull": True}) | Q(**{f"{prefix}publish_until__gt": now})
    )


def article_visible_q(viewer: KbViewer, now: datetime | None = None, prefix: str = "") -> Q:
    """The articles `viewer` may read, as a filter."""
    visible = Q(**{f"{prefix}audience__in": sorted(viewer.audiences)}) & published_q(now, prefix)
    if viewer.agency_ids:
        # their own agency's articles: every audience, published or not
        visible |= Q(**{f"{prefix}owner_agency_id__in": sorted(viewer.agency_ids)})
    return visible


def article_visible(article, *, viewer: KbViewer, now: datetime | None = None) -> bool:
    if article.owner_agency_id in viewer.agency_ids:
        return True
    return article.audience in viewer.audiences and article.is_published(now)


def article_create_allowed(*, viewer: KbViewer, agency_id: int | None = None) -> bool:
    """An agency's staff write articles for their own agency."""
    return bool(viewer.agency_ids) if agency_id is None else agency_id in viewer.agency_ids


def article_edit_allowed(article, *, viewer: KbViewer) -> bool:
    """Only the staff of the owning agency change the holder's text."""
    return article.owner_agency_id in viewer.agency_ids


def centre_note_allowed(article, *, viewer: KbViewer, centre_id: int | None = None) -> bool:
    """A one-stop centre's specialists add their centre's note to any article they see."""
    if not viewer.centre_ids or not article_visible(article, viewer=viewer):
        return False
    return centre_id is None or centre_id in viewer.centre_ids


def article_use_record_allowed(article, *, viewer: KbViewer) -> bool:
    """An official (a specialist registering a consultation) records that an article they may read
    was used, and whether it helped."""
    return viewer.is_official and article_visible(article, viewer=viewer)


def article_usage_visible(*, viewer: KbViewer) -> bool:
    """How often an article was used and found useful: a figure for officials."""
    return viewer.is_official


def subscription_allowed(*, viewer: KbViewer) -> bool:
    """Providers and holders follow changes; citizens read the public pages."""
    return viewer.is_official


def script_run_allowed(*, viewer: KbViewer) -> bool:
    return viewer.is_official


def script_create_allowed(*, viewer: KbViewer, agency_id: int | None = None) -> bool:
    """An agency's staff write call scripts for their own agency."""
    return bool(viewer.agency_ids) if agency_id is None else agency_id in viewer.agency_ids


def script_edit_allowed(script, *, viewer: KbViewer) -> bool:
    """Only the owning agency's staff change a script's graph and publish it."""
    return script.owner_agency_id in viewer.agency_ids


def subscriber_told(article, *, viewer: KbViewer) -> bool:
    """Whether a subscriber hears of a change: only of an article they may read now."""
    return article_visible(article, viewer=viewer)
