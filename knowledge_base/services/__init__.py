"""Writes of the knowledge base, by topic. Each takes the Actor; the rules are asked after the row
is locked (knowledge_base.rules); refusals are domain errors (knowledge_base.exceptions); every
change is audited by a named action (constants.KnowledgeAuditAction).

- articles: articles created and edited by the owning agency's staff, optimistic locking on
  `version`, every save a version row
- notes: one-stop centres' notes on articles
- subscriptions: following articles by service or topic, and the notice of each change
- scripts: call scripts, versioned, published only when their graph is sound
- runs: an official running a published script step by step
- uses: an article used in a consultation, and whether it was useful
- reviews: owners told of their articles' review dates (for beat)
"""

from ..constants import ArticleKind
from .articles import ArticleData, article_create, article_edit, article_search_refresh, article_snapshot
from .notes import centre_note_save
from .reviews import articles_review_due_notify
from .runs import script_run_finish, script_run_start, script_run_step
from .scripts import script_create, script_edit_check, script_publish, script_save
from .subscriptions import subscription_add, subscription_remove
from .uses import article_use_record

__all__ = [
    "ArticleData",
    "ArticleKind",
    "article_create",
    "article_edit",
    "article_search_refresh",
    "article_snapshot",
    "article_use_record",
    "articles_review_due_notify",
    "centre_note_save",
    "script_create",
    "script_edit_check",
    "script_publish",
    "script_run_finish",
    "script_run_start",
    "script_run_step",
    "script_save",
    "subscription_add",
    "subscription_remove",
]
