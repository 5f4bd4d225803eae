"""Was it useful (issue item 7): an article a specialist used in a consultation, and whether it
answered the question. The request registry (above us) calls `article_use_record` when a consultation
is registered, naming the consultation by its own key; the article page shows the figures
(selectors.article_usage)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from audit.services import record
from kernel.actors import Actor

from .. import rules
from ..constants import MAX_CONSULTATION_KEY_CHARS, KnowledgeAuditAction
from ..exceptions import ArticleUseInvalid, ArticleUseNotAllowed
from ..models import Article, ArticleUse


def article_use_record(
    *, actor: Actor, article: Article, useful: bool | None, consultation_key: str
) -> ArticleUse:
    """Record that `article` was used in the consultation `consultation_key` (the caller's id for it,
    e.g. "consultation:123") and whether it was useful (None: not said). Idempotent by the key: the
    same key again returns the row recorded first and changes nothing (a retried registration counts
    once). Only an official who may read the article records it (rules.article_use_record_allowed);
    anyone else: ArticleUseNotAllowed (403). An empty or over-long key: ArticleUseInvalid (400)."""
    viewer = rules.viewer_for_actor(actor)
    if not rules.article_use_record_allowed(article, viewer=viewer):
        raise ArticleUseNotAllowed
    key = (consultation_key or "").strip() if isinstance(consultation_key, str) else ""
    if not key or len(key) > MAX_CONSULTATION_KEY_CHARS:
        raise ArticleUseInvalid({"consultation_key": [ArticleUseInvalid.default_message]})
    if useful is not None and not isinstance(useful, bool):
        raise ArticleUseInvalid({"useful": [translation.gettext("Say yes, no or nothing.")]})
    with transaction.atomic():
        # get_or_create inserts in a savepoint and reads the row on a unique-key race: two calls at
        # once with one key record one row
        use, created = ArticleUse.objects.get_or_create(
            consultation_key=key,
            defaults={"article": article, "useful": useful, "used_by": actor.user_or_none},
        )
        if created:
            record(
                action=KnowledgeAuditAction.ARTICLE_USE_RECORD,
                actor=actor,
                target=article,
                data={"consultation": key, "useful": useful},
            )
    return use
