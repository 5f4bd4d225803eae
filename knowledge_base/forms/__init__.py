"""Forms of the knowledge base's pages: they read input and hand it to a service; the rules are
in rules.py and the services.

- articles: search, an article's form by its template, centre notes, subscriptions
- scripts: a run's step and end, the call script editor's forms
"""

from .articles import ArticleForm, KindForm, NoteForm, SearchForm, ServiceSubscribeForm, TopicSubscribeForm
from .scripts import FinishForm, NodeAddForm, NodeForm, ScriptCreateForm, StepForm, VersionForm

__all__ = [
    "ArticleForm",
    "FinishForm",
    "KindForm",
    "NodeAddForm",
    "NodeForm",
    "NoteForm",
    "ScriptCreateForm",
    "SearchForm",
    "ServiceSubscribeForm",
    "StepForm",
    "TopicSubscribeForm",
    "VersionForm",
]
