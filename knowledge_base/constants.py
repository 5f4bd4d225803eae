"""The knowledge base's vocabulary: audiences, article templates and their sections, call-script
nodes and outcomes, audit actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleAudience(models.TextChoices):
    """Concept 4.4.2.6: who an article is for. Each wider audience sees the narrower ones' too:
    citizens see public articles; service providers who are not the holder (one-stop-centre and
    contact-centre specialists, officials of other agencies) public and providers'; the holder
    agency's own staff all three (holders' articles of their own agency only)."""

    PUBLIC = "public", _("Public (citizens)")
    PROVIDERS = "providers", _("Service providers (centre specialists, other agencies)")
    HOLDERS = "holders", _("Service holder (the owning agency's staff)")


class ArticleKind(models.TextChoices):
    """The template an article is written from: which structured sections it has."""

    SERVICE_EXPLAINED = "service_explained", _("Service explained")
    BACK_OFFICE = "back_office", _("Back-office process")
    FAQ = "faq", _("Frequently asked questions")
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    HOW_TO_ESERVICE = "how_to_eservice", _("How to use the e-service")


# The text sections (Markdown) an article may have, with their headings.
SECTION_LABELS = {
    "who_may_apply": _("Who may apply"),
    "documents": _("Documents"),
    "fees": _("Fees"),
    "deadlines": _("Deadlines"),
    "channels": _("Where and how to apply"),
    "common_refusals": _("Common reasons for refusal"),
    "process": _("Process"),
    "responsible": _("Who is responsible"),
    "introduction": _("Introduction"),
    "summary": _("Summary"),
    "before_you_start": _("Before you start"),
}


@dataclass(frozen=True)
class ArticleTemplate:
    """The structured parts of an article of one kind: text sections (Markdown), and whether it has
    question/answer pairs, legal-basis links and numbered steps."""

    sections: tuple[str, ...]
    faq: bool = False
    links: bool = False
    steps: bool = False


TEMPLATES: dict[str, ArticleTemplate] = {
    ArticleKind.SERVICE_EXPLAINED: ArticleTemplate(
        sections=("who_may_apply", "documents", "fees", "deadlines", "channels", "common_refusals"),
        faq=True,
    ),
    ArticleKind.BACK_OFFICE: ArticleTemplate(sections=("process", "responsible", "deadlines")),
    ArticleKind.FAQ: ArticleTemplate(sections=("introduction",), faq=True),
    ArticleKind.LEGAL_BASIS: ArticleTemplate(sections=("summary",), links=True),
    ArticleKind.HOW_TO_ESERVICE: ArticleTemplate(sections=("before_you_start",), steps=True),
}

# Limits of the structured content (per language)
MAX_SECTION_CHARS = 20_000
MAX_FAQ_PAIRS = 50
MAX_LINKS = 30
MAX_STEPS = 40
MAX_NOTE_CHARS = 5_000
# the schemes a link may use (anything else, `javascript:` first of all, is refused or made inert)
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


class NodeKind(models.TextChoices):
    """The nodes of a call script's graph."""

    START = "start", _("Start")
    QUESTION = "question", _("Question")
    NOTE = "note", _("Note")
    END = "end", _("End")


class ScriptOutcome(models.TextChoices):
    """How a scripted conversation ended (an end node's outcome)."""

    INFORMED = "informed", _("Caller informed")
    CASE_TO_FILE = "case_to_file", _("A case is to be filed")
    REFERRED = "referred", _("Referred to the agency")
    ESCALATED = "escalated", _("Escalated")


class ScriptState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


MAX_SCRIPT_NODES = 200
MAX_SCRIPT_TEXT_CHARS = 2_000  # a node's text, an answer's label (the editor's forms)
MAX_SCRIPT_RUN_STEPS = 500


class KnowledgeAuditAction(models.TextChoices):
    ARTICLE_CREATE = "kb.article_create", _("Knowledge base article created")
    ARTICLE_EDIT = "kb.article_edit", _("Knowledge base article changed")
    ARTICLE_EDIT_REFUSED = "kb.article_edit_refused", _("Change of a knowledge base article refused")
    CENTRE_NOTE_SAVE = "kb.centre_note_save", _("Centre note on a knowledge base article saved")
    SUBSCRIPTION_ADD = "kb.subscription_add", _("Subscribed to knowledge base changes")
    SUBSCRIPTION_REMOVE = "kb.subscription_remove", _("Unsubscribed from knowledge base changes")
    SCRIPT_SAVE = "kb.script_save", _("Call script saved")
    SCRIPT_PUBLISH = "kb.script_publish", _("Call script published")
    SCRIPT_EDIT_REFUSED = "kb.script_edit_refused", _("Change of a call script refused")
    SCRIPT_RUN_START = "kb.script_run_start", _("Call script run started")
    SCRIPT_RUN_FINISH = "kb.script_run_finish", _("Call script run finished")
    ARTICLE_USE_RECORD = "kb.article_use_record", _("Use of a knowledge base article recorded")


# the notifications topic of a change of an article someone follows (notifications.topics)
TOPIC_ARTICLE_CHANGED = "kb_article_changed"
# ... and of an article due for review, to its owner
TOPIC_ARTICLE_REVIEW_DUE = "kb_article_review_due"

# a consultation's key, as the caller names it (ArticleUse.consultation_key)
MAX_CONSULTATION_KEY_CHARS = 100
