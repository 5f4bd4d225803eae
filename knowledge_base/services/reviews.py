"""Review dates flagged to the owner (issue item 3): an article whose review date has come is shown
as possibly outdated, and its owner is told once per article and review date through notify()."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from kernel.actors import Actor
from notifications.services import notify
from notifications.topics import Localised

from ..constants import TOPIC_ARTICLE_REVIEW_DUE
from ..models import Article

# articles told a run (beat runs it often enough to keep up; each run is one bounded transaction)
REVIEW_NOTICE_BATCH = 200


def _date_text(day: date) -> Localised:
    return Localised(f"{day:%d.%m.%Y}.", f"{day.day} {day:%b %Y}")


def articles_review_due_notify(*, today: date | None = None) -> int:
    """Tell the owner of each article whose review date is today or past, once per article and
    review date (a new review date, once it comes, is told again). Articles without an owner, or
    whose owner is inactive or has no person (no e-account to tell), are skipped. Set-based: one
    query picks at most REVIEW_NOTICE_BATCH articles not yet told of their current review date
    (locked, skipping those another run holds, on PostgreSQL), each owner is told through notify()
    with the dedupe key `kb-review:<article>:<review date>`, and one UPDATE marks them told — all in
    one transaction. Returns the number of articles whose owner was told."""
    today = today or timezone.localdate()
    actor = Actor.system("knowledge_base.articles_review_due_notify")
    with transaction.atomic():
        due = list(
            Article.objects.filter(
                Q(review_notified_on__isnull=True) | ~Q(review_notified_on=F("review_on")),
                review_on__lte=today,
                owner__is_active=True,
                owner__person__isnull=False,
            )
            .select_related("owner__person", "owner_agency")
            .defer(
                "content_lv",
                "content_en",
                "html_lv",
                "html_en",
                "search_text",
                "search_title",
                "search_vector",
                "title_vector",
            )
            .order_by("review_on", "pk")
            .select_for_update(skip_locked=True, of=("self",))[:REVIEW_NOTICE_BATCH]
        )
        for article in due:
            agency = article.owner_agency
            notify(
                party=article.owner.person,
                topic=TOPIC_ARTICLE_REVIEW_DUE,
                context={
                    "title": Localised(article.title_lv, article.title_en),
                    "agency": Localised(agency.name_lv, agency.name_en),
                    "review_date": _date_text(article.review_on),
                },
                dedupe_key=f"kb-review:{article.pk}:{article.review_on.isoformat()}",
                actor=actor,
                sender_label=agency.name_lv,
                link_url=reverse("knowledge_base:article-edit", kwargs={"pk": article.pk}),
            )
        if due:
            Article.objects.filter(pk__in=[article.pk for article in due]).update(
                review_notified_on=F("review_on")
            )
    return len(due)
