"""Pages of the knowledge base. Thin: who sees what is in selectors/rules, writes in services.

Public: the search/list (citizens see public articles only) and an article's page. Officials
(logged in with at least `substantial` assurance): the same pages with more audiences, centre
notes and history; editing (the owning agency's staff), centre notes (centre staff),
subscriptions and call scripts (any official).

- articles: search, an article, its versions, centre notes, writing and editing
- subscriptions: following changes
- runs: the call scripts' list and running one
- editor: the call script editor (the owning agency's staff)
"""

from .articles import article_create, article_detail, article_edit, article_note, article_version, index
from .editor import script_edit, script_new, script_node, script_node_add, script_node_remove, script_publish
from .runs import run_detail, run_finish, script_list, script_start
from .subscriptions import subscription_remove, subscriptions

__all__ = [
    "article_create",
    "article_detail",
    "article_edit",
    "article_note",
    "article_version",
    "index",
    "run_detail",
    "run_finish",
    "script_edit",
    "script_list",
    "script_new",
    "script_node",
    "script_node_add",
    "script_node_remove",
    "script_publish",
    "script_start",
    "subscription_remove",
    "subscriptions",
]
