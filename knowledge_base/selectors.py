"""Reads of the knowledge base, and who sees what (rules.article_visible_q): "not found" for both
missing and forbidden. Each page's reads are a fixed number of queries, whatever the number of
articles, versions or notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from catalogue.selectors import services_by_codes
from kernel.collation import latvian
from kernel.paginators import WindowCountPaginator

from . import rules, search
from .constants import ArticleAudience
from .exceptions import ArticleNotFound, ArticleVersionNotFound, ScriptNotFound, ScriptRunNotFound
from .models import (
    Article,
    ArticleUse,
    ArticleVersion,
    CentreNote,
    Script,
    ScriptRun,
    ScriptVersion,
    Subscription,
    Topic,
)
from .rules import KbViewer
from .versions import FIELD_LABELS, FieldDiff, diff

LIST_FIELDS = (
    "pk",
    "kind",
    "audience",
    "title_lv",
    "title_en",
    "summary_lv",
    "summary_en",
    "review_on",
    "publish_from",
    "publish_until",
    "owner_agency_id",
    "owner_agency__code",
    "owner_agency__name_lv",
    "owner_agency__name_en",
    "topic_id",
    "topic__slug",
    "topic__name_lv",
    "topic__name_en",
)


def _id(value) -> int | None:
    """A positive id from user input, or None (so it is never worth a query)."""
    text = str(value or "")
    return int(text) if text.isdigit() and 0 < len(text) <= 12 else None


def topics() -> QuerySet[Topic]:
    return Topic.objects.order_by(latvian("name_lv"), "pk")


def topic_get_by_slug(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=str(slug)[:80]).first()


# --- articles ------------------------------------------------------------------------------------


def article_list_visible(viewer: KbViewer, *, now=None) -> QuerySet[Article]:
    return Article.objects.filter(rules.article_visible_q(viewer, now))


def article_search(
    *,
    viewer: KbViewer,
    q: str | None = None,
    audience: str | None = None,
    service: str | None = None,
    agency: str | None = None,
    topic: str | None = None,
    fuzzy: bool = False,
) -> QuerySet[Article]:
    """The articles `viewer` may read matching the query and filters: best first with a query (see
    knowledge_base.search), by title without one. Filters are by code (service, agency), slug (topic)
    and audience value; unknown values simply find nothing."""
    qs = article_list_visible(viewer)
    if audience:
        qs = qs.filter(audience=str(audience)[:20])
    if service:
        qs = qs.filter(
            pk__in=Article.services.through.objects.filter(service__code=str(service)[:6]).values(
                "article_id"
            )
        )
    if agency:
        qs = qs.filter(owner_agency__code=str(agency)[:20])
    if topic:
        qs = qs.filter(topic__slug=str(topic)[:80])
    qs = qs.select_related("owner_agency", "topic").only(*LIST_FIELDS)
    matched = search.articles_matching(qs, q, fuzzy=fuzzy)
    if matched is None:
        return qs.order_by(latvian("title_lv"), "pk")
    return matched


def article_search_page(*, page_number, page_size: int = 20, **filters) -> Page:
    """One page of article_search, with its total from the same query (one query); a PostgreSQL
    search that finds nothing is retried with trigram similarity (one more)."""
    page = WindowCountPaginator(article_search(**filters), page_size).get_page(page_number)
    if search.wants_fuzzy(q=filters.get("q"), count=page.paginator.count):
        page = WindowCountPaginator(article_search(**filters, fuzzy=True), page_size).get_page(page_number)
    return page


def article_get_for(*, viewer: KbViewer, pk) -> Article:
    """The article, if `viewer` may read it; ArticleNotFound otherwise (missing or not theirs alike)."""
    article_id = _id(pk)
    if article_id is None:
        raise ArticleNotFound
    try:
        return (
            article_list_visible(viewer)
            .select_related("owner_agency", "topic", "owner", "owner__person")
            .get(pk=article_id)
        )
    except Article.DoesNotExist:
        raise ArticleNotFound from None


@dataclass
class ArticlePage:
    article: Article
    services: list
    life_events: list
    notes: list[CentreNote] = field(default_factory=list)
    versions: list[ArticleVersion] = field(default_factory=list)
    outdated: bool = False
    published: bool = True
    usage: tuple[int, int] | None = None  # (times used, times found useful): officials only


def article_versions(*, article: Article) -> list[ArticleVersion]:
    """The history, newest first, without the snapshots (one query, whatever the number of versions)."""
    versions = list(
        ArticleVersion.objects.filter(article=article)
        .only("pk", "article_id", "number", "changes", "author_label", "at")
        .order_by("-number")
    )
    for version in versions:
        version.change_labels = [str(FIELD_LABELS.get(f, f)) for f in version.changes]
    return versions


def article_page(*, viewer: KbViewer, article: Article) -> ArticlePage:
    """What the article page shows its viewer: 2 queries for everyone (services, life events), 3 more
    for officials (centre notes, the version history, how often it was used and found useful)."""
    page = ArticlePage(
        article=article,
        services=list(article.services.select_related("agency").order_by("code")),
        life_events=list(article.life_events.order_by(latvian("name_lv"))),
        outdated=article.is_outdated(),
        published=article.is_published(),
    )
    if viewer.is_official:
        page.notes = list(
            CentreNote.objects.filter(article=article).select_related("centre").order_by("centre__code")
        )
        page.versions = article_versions(article=article)
    if rules.article_usage_visible(viewer=viewer):
        page.usage = article_usage(article=article)
    return page


def article_usage(*, article: Article) -> tuple[int, int]:
    """How many consultations the article was used in, and in how many it was found useful (one
    aggregate query)."""
    counts = ArticleUse.objects.filter(article_id=article.pk).aggregate(
        used=Count("pk"), useful=Count("pk", filter=Q(useful=True))
    )
    return counts["used"], counts["useful"]


@dataclass(frozen=True)
class VersionDiff:
    article: Article
    version: ArticleVersion
    previous: ArticleVersion | None
    fields: list[FieldDiff]


def article_version_diff(*, article: Article, number) -> VersionDiff:
    """Version `number` of an article the asker may read, beside the one before it (one query)."""
    n = _id(number)
    if n is None:
        raise ArticleVersionNotFound
    rows = {v.number: v for v in ArticleVersion.objects.filter(article=article, number__in=[n - 1, n])}
    if n not in rows:
        raise ArticleVersionNotFound
    previous = rows.get(n - 1)
    return VersionDiff(
        article=article,
        version=rows[n],
        previous=previous,
        fields=diff(previous.snapshot if previous else None, rows[n].snapshot),
    )


def article_version_get(*, article: Article, number: int) -> ArticleVersion | None:
    return ArticleVersion.objects.filter(article=article, number=number).first()


def articles_to_review(*, viewer: KbViewer, today: date | None = None) -> QuerySet[Article]:
    """Their agency's articles past the review date, oldest first: flagged to the owners and editors."""
    if not viewer.agency_ids:
        return Article.objects.none()
    today = today or timezone.localdate()
    return (
        Article.objects.filter(owner_agency_id__in=sorted(viewer.agency_ids), review_on__lt=today)
        .only("pk", "title_lv", "title_en", "review_on", "owner_id")
        .order_by("review_on", "pk")
    )


def service_faq_articles(*, service_id: int, now=None) -> list[Article]:
    """The public, published articles about a service that have question/answer pairs or a summary:
    the FAQ of the catalogue's service page (one query, nothing joined)."""
    return list(
        Article.objects.filter(
            rules.published_q(now),
            audience=ArticleAudience.PUBLIC,
            pk__in=Article.services.through.objects.filter(service_id=service_id).values("article_id"),
        )
        .only("pk", "kind", "title_lv", "title_en", "summary_lv", "summary_en", "html_lv", "html_en")
        .order_by("kind", "pk")[:10]
    )


# --- subscriptions ---------------------------------------------------------------------------------


def subscriptions_of(*, user) -> list[Subscription]:
    return list(
        Subscription.objects.filter(user=user)
        .select_related("service", "topic")
        .order_by("topic__name_lv", "service__code", "pk")
    )


def subscription_get_for(*, user, pk) -> Subscription | None:
    subscription_id = _id(pk)
    if subscription_id is None:
        return None
    return Subscription.objects.filter(user=user, pk=subscription_id).first()


def subscriber_users_of(*, article: Article) -> list:
    """The users who follow one of the article's services or its topic, each once."""
    service_ids = Article.services.through.objects.filter(article_id=article.pk).values("service_id")
    rows = (
        Subscription.objects.filter(Q(topic_id=article.topic_id) | Q(service_id__in=service_ids))
        .select_related("user", "user__person")
        .order_by("user_id")
    )
    unique = {}
    for row in rows:
        unique.setdefault(row.user_id, row.user)
    return list(unique.values())


# --- call scripts -----------------------------------------------------------------------------------


def script_list_for(*, viewer: KbViewer) -> QuerySet[Script]:
    """Published scripts for officials (and their own agency's drafts for its staff)."""
    if not viewer.is_official:
        return Script.objects.none()
    visible = Q(published__isnull=False)
    if viewer.agency_ids:
        visible |= Q(owner_agency_id__in=sorted(viewer.agency_ids))
    return Script.objects.filter(visible).select_related("owner_agency").order_by(latvian("title_lv"), "pk")


def script_get_for(*, viewer: KbViewer, pk) -> Script:
    script_id = _id(pk)
    if script_id is None:
        raise ScriptNotFound
    try:
        return script_list_for(viewer=viewer).select_related("published").get(pk=script_id)
    except Script.DoesNotExist:
        raise ScriptNotFound from None


def script_version_latest(*, script: Script) -> ScriptVersion | None:
    return ScriptVersion.objects.filter(script=script).order_by("-number").first()


def script_version_get(*, script: Script, number) -> ScriptVersion | None:
    """Version `number` of the script (the one an editor's form was made from), or None."""
    n = _id(number)
    return ScriptVersion.objects.filter(script=script, number=n).first() if n is not None else None


def article_ids_visible(*, viewer: KbViewer, ids) -> set[int]:
    """Those of `ids` that are articles `viewer` may read (a script's links; one query)."""
    wanted = sorted({i for i in ids if isinstance(i, int) and 0 < i < 10**12})
    if not wanted:
        return set()
    return set(article_list_visible(viewer).filter(pk__in=wanted).values_list("pk", flat=True))


def script_run_get_for(*, viewer: KbViewer, pk) -> ScriptRun:
    """A run, to the official who runs it only."""
    run_id = _id(pk)
    if run_id is None or viewer.user_id is None:
        raise ScriptRunNotFound
    try:
        return (
            ScriptRun.objects.select_related("script_version", "script_version__script")
            .prefetch_related(Prefetch("script_version__script__services"))
            .get(pk=run_id, user_id=viewer.user_id)
        )
    except ScriptRun.DoesNotExist:
        raise ScriptRunNotFound from None


def script_run_links(*, viewer: KbViewer, article_ids, service_codes) -> tuple[list[Article], list]:
    """The articles (those the viewer may read) and services a script's node links to."""
    articles = (
        list(
            article_list_visible(viewer).filter(pk__in=sorted(article_ids)).only("pk", "title_lv", "title_en")
        )
        if article_ids
        else []
    )
    services = list(services_by_codes(codes=sorted(service_codes)).values()) if service_codes else []
    return articles, services
