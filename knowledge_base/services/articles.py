"""Articles: created and edited only by the owning agency's staff (or the system: seed content, an
import), optimistic locking on `version`, every save a version row with what changed, and the
subscribers told of each version (subscriptions.article_change_tell_subscribers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone, translation

from audit.services import record
from kernel.actors import Actor

from .. import rules, search
from ..constants import (
    MAX_FAQ_PAIRS,
    MAX_LINKS,
    MAX_SECTION_CHARS,
    MAX_STEPS,
    TEMPLATES,
    ArticleAudience,
    KnowledgeAuditAction,
)
from ..content import link_allowed, render_content
from ..exceptions import ArticleEditNotAllowed, ArticleInvalid, ArticleVersionConflict
from ..models import Article, ArticleVersion, Topic
from ..versions import changed_fields
from ..versions import content_text as _content_text
from .subscriptions import article_change_tell_subscribers


@dataclass
class ArticleData:
    """What an editor writes: everything but the template (kind) and the owner agency, which an
    article keeps for life."""

    topic: Topic
    audience: str
    title_lv: str
    review_on: date
    title_en: str = ""
    summary_lv: str = ""
    summary_en: str = ""
    content_lv: dict = field(default_factory=dict)
    content_en: dict = field(default_factory=dict)
    services: list = field(default_factory=list)  # catalogue Services of the owner agency
    life_events: list = field(default_factory=list)  # catalogue LifeEvents
    publish_from: datetime | None = None
    publish_until: datetime | None = None
    owner: object | None = None  # a user of the owner agency (default: the author)


def _clean_content(kind: str, content: dict | None, lang: str, errors: dict) -> dict:
    """Only the parts of the kind's template, trimmed and checked; problems go to `errors` under the
    edit form's field names (`<section>_<lang>`, `faq_<lang>`, `links_<lang>`, `steps_<lang>`)."""
    template = TEMPLATES[kind]
    content = content or {}
    sections = {}
    for key in template.sections:
        text = str((content.get("sections") or {}).get(key) or "").strip()
        if len(text) > MAX_SECTION_CHARS:
            errors.setdefault(f"{key}_{lang}", []).append(
                translation.gettext("At most %(max)s characters.") % {"max": MAX_SECTION_CHARS}
            )
        if text:
            sections[key] = text
    cleaned: dict = {"sections": sections}
    if template.faq:
        pairs = [
            {"q": str(p.get("q") or "").strip(), "a": str(p.get("a") or "").strip()}
            for p in content.get("faq") or []
        ]
        if len(pairs) > MAX_FAQ_PAIRS:
            errors.setdefault(f"faq_{lang}", []).append(
                translation.gettext("At most %(max)s questions.") % {"max": MAX_FAQ_PAIRS}
            )
        for n, pair in enumerate(pairs, start=1):
            if not pair["q"] or not pair["a"]:
                errors.setdefault(f"faq_{lang}", []).append(
                    translation.gettext("Question %(n)s needs both the question and its answer.") % {"n": n}
                )
        cleaned["faq"] = pairs
    if template.links:
        links = [
            {"title": str(link.get("title") or "").strip(), "url": str(link.get("url") or "").strip()}
            for link in content.get("links") or []
        ]
        if len(links) > MAX_LINKS:
            errors.setdefault(f"links_{lang}", []).append(
                translation.gettext("At most %(max)s links.") % {"max": MAX_LINKS}
            )
        for n, link in enumerate(links, start=1):
            if not link["title"] or not link_allowed(link["url"]):
                errors.setdefault(f"links_{lang}", []).append(
                    translation.gettext("Link %(n)s: give a title and an address beginning with https://.")
                    % {"n": n}
                )
        cleaned["links"] = links
    if template.steps:
        steps = [str(step).strip() for step in content.get("steps") or [] if str(step).strip()]
        if len(steps) > MAX_STEPS:
            errors.setdefault(f"steps_{lang}", []).append(
                translation.gettext("At most %(max)s steps.") % {"max": MAX_STEPS}
            )
        cleaned["steps"] = steps
    return cleaned


def _validated(*, kind: str, owner_agency_id: int, data: ArticleData) -> ArticleData:
    errors: dict[str, list] = {}
    if kind not in TEMPLATES:
        raise ArticleInvalid({"kind": [translation.gettext("Choose a template.")]})
    data.title_lv = (data.title_lv or "").strip()
    data.title_en = (data.title_en or "").strip()
    data.summary_lv = (data.summary_lv or "").strip()
    data.summary_en = (data.summary_en or "").strip()
    if not data.title_lv:
        errors["title_lv"] = [translation.gettext("Give the article a Latvian title.")]
    for name in ("title_lv", "title_en"):
        if len(getattr(data, name)) > 300:
            errors.setdefault(name, []).append(translation.gettext("At most 300 characters."))
    if data.audience not in ArticleAudience.values:
        errors["audience"] = [translation.gettext("Choose an audience.")]
    if data.topic is None:
        errors["topic"] = [translation.gettext("Choose a topic.")]
    if data.review_on is None:
        errors["review_on"] = [translation.gettext("Give a date by which the article is reviewed.")]
    if data.publish_until is not None and (
        data.publish_from is None or data.publish_until <= data.publish_from
    ):
        errors["publish_until"] = [translation.gettext("The end of publication must come after its start.")]
    if any(service.agency_id != owner_agency_id for service in data.services):
        errors["services"] = [translation.gettext("An article is about its own agency's services only.")]
    data.content_lv = _clean_content(kind, data.content_lv, "lv", errors)
    data.content_en = _clean_content(kind, data.content_en, "en", errors)
    if errors:
        raise ArticleInvalid(errors)
    return data


def article_snapshot(article: Article) -> dict:
    """Everything an editor can change, as plain JSON (a version's snapshot; two queries)."""
    return {
        "kind": article.kind,
        "title_lv": article.title_lv,
        "title_en": article.title_en,
        "summary_lv": article.summary_lv,
        "summary_en": article.summary_en,
        "content_lv": article.content_lv,
        "content_en": article.content_en,
        "audience": article.audience,
        "topic": article.topic.slug,
        "services": sorted(article.services.values_list("code", flat=True)),
        "life_events": sorted(article.life_events.values_list("code", flat=True)),
        "owner": str(article.owner) if article.owner_id else "",
        "review_on": article.review_on.isoformat() if article.review_on else None,
        "publish_from": article.publish_from.isoformat() if article.publish_from else None,
        "publish_until": article.publish_until.isoformat() if article.publish_until else None,
    }


def _apply(article: Article, data: ArticleData) -> None:
    for name in (
        "topic",
        "audience",
        "title_lv",
        "title_en",
        "summary_lv",
        "summary_en",
        "content_lv",
        "content_en",
        "review_on",
        "publish_from",
        "publish_until",
    ):
        setattr(article, name, getattr(data, name))
    if data.owner is not None:
        article.owner = data.owner
    article.html_lv = render_content(article.kind, article.content_lv)
    article.html_en = render_content(article.kind, article.content_en)


def article_search_refresh(*, article: Article) -> None:
    """The stored search text of the article (and on PostgreSQL its full-text vector)."""
    services = list(
        article.services.select_related("agency").only("code", "title_lv", "title_en", "agency__code")
    )
    events = list(article.life_events.only("name_lv", "name_en"))
    parts = [
        article.title_lv,
        article.title_en,
        article.summary_lv,
        article.summary_en,
        _content_text(article.kind, article.content_lv),
        _content_text(article.kind, article.content_en),
        article.owner_agency.code,
        article.owner_agency.name_lv,
        article.owner_agency.name_en,
        article.topic.name_lv,
        article.topic.name_en,
    ]
    for service in services:
        parts += [service.code, service.title_lv, service.title_en]
    for event in events:
        parts += [event.name_lv, event.name_en]
    article.search_text = search.article_search_text(parts)
    article.search_title = search.article_search_text([article.title_lv, article.title_en])
    Article.objects.filter(pk=article.pk).update(
        search_text=article.search_text, search_title=article.search_title
    )
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(
            search_vector=search.search_vector(), title_vector=search.title_vector()
        )


def _version_add(article: Article, *, actor: Actor, before: dict | None) -> ArticleVersion:
    snapshot = article_snapshot(article)
    user = actor.user_or_none
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        snapshot=snapshot,
        changes=changed_fields(before, snapshot),
        author=user,
        author_label=(str(user) if user is not None else actor.label)[:200],
        at=timezone.now(),
    )


def _is_system(actor: Actor) -> bool:
    """A task or a command (seed content, an import): no user, no API client, a system label."""
    return actor.user_or_none is None and actor.api_client is None and bool(actor.system_label)


def article_create(*, actor: Actor, owner_agency, kind: str, data: ArticleData) -> Article:
    """A new article of `owner_agency`, by its own staff (or the system: seed content, an import);
    version 1. Anyone else is refused (ArticleEditNotAllowed) and the attempt audited."""
    viewer = rules.viewer_for_actor(actor)
    if not (_is_system(actor) or rules.article_create_allowed(viewer=viewer, agency_id=owner_agency.pk)):
        record(
            action=KnowledgeAuditAction.ARTICLE_EDIT_REFUSED,
            actor=actor,
            object_type="knowledge_base.article",
            data={"agency": owner_agency.code, "create": True},
        )
        raise ArticleEditNotAllowed
    data = _validated(kind=kind, owner_agency_id=owner_agency.pk, data=data)
    with transaction.atomic():
        return _article_insert(actor=actor, owner_agency=owner_agency, kind=kind, data=data)


def _article_insert(*, actor: Actor, owner_agency, kind: str, data: ArticleData) -> Article:
    article = Article(kind=kind, owner_agency=owner_agency, version=1, updated_by=actor.user_or_none)
    if data.owner is None:
        article.owner = actor.user_or_none
    _apply(article, data)
    article.save()
    article.services.set(data.services)
    article.life_events.set(data.life_events)
    article_search_refresh(article=article)
    version = _version_add(article, actor=actor, before=None)
    record(action=KnowledgeAuditAction.ARTICLE_CREATE, actor=actor, target=article, data={"version": 1})
    article_change_tell_subscribers(article=article, version=version, actor=actor)
    return article


def article_edit(*, actor: Actor, article: Article, expected_version: int, data: ArticleData) -> Article:
    """Save an editor's changes. Only the owning agency's staff (anyone else: ArticleEditNotAllowed,
    and the attempt is audited); `expected_version` is the version the editor started from — if
    someone saved since, ArticleVersionConflict (409) and nothing is written (the editor's text is
    theirs to keep: the page shows it again beside the current version)."""
    viewer = rules.viewer_for_actor(actor)
    with transaction.atomic():
        locked = (
            Article.objects.select_for_update().select_related("topic", "owner_agency").get(pk=article.pk)
        )
        if rules.article_edit_allowed(locked, viewer=viewer):
            if locked.version != expected_version:
                raise ArticleVersionConflict(current_version=locked.version)
            data = _validated(kind=locked.kind, owner_agency_id=locked.owner_agency_id, data=data)
            previous = ArticleVersion.objects.filter(article=locked).order_by("-number").first()
            before = previous.snapshot if previous is not None else article_snapshot(locked)
            _apply(locked, data)
            locked.version += 1
            locked.updated_by = actor.user_or_none
            locked.save()
            locked.services.set(data.services)
            locked.life_events.set(data.life_events)
            after = article_snapshot(locked)
            if not changed_fields(before, after):
                # nothing changed: no new version, no notice
                raise ArticleInvalid({"__all__": [translation.gettext("Nothing was changed.")]})
            article_search_refresh(article=locked)
            version = _version_add(locked, actor=actor, before=before)
            record(
                action=KnowledgeAuditAction.ARTICLE_EDIT,
                actor=actor,
                target=locked,
                data={"version": locked.version, "changes": version.changes},
            )
            article_change_tell_subscribers(article=locked, version=version, actor=actor)
            return locked
    # outside the transaction: the refusal's audit event stays whatever the caller does next
    record(
        action=KnowledgeAuditAction.ARTICLE_EDIT_REFUSED,
        actor=actor,
        target=article,
        data={"agency_id": article.owner_agency_id},
    )
    raise ArticleEditNotAllowed
