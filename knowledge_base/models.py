"""The knowledge base: topics, articles by audience with their versions and centre notes,
subscriptions to changes, call scripts with their versions and runs.

Catalogue objects are named by string ("catalogue.Service"): the catalogue sits below us and never
learns of articles (no reverse accessors: related_name "+"). Writes go through `services`; the
rendered HTML is made there (Markdown by markdown-it-py, sanitised by nh3), never in `save()`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import MAX_CONSULTATION_KEY_CHARS, ArticleAudience, ArticleKind, ScriptOutcome, ScriptState


def _pick(lv: str, en: str) -> str:
    return en if get_language() == "en" and en else lv


class Topic(models.Model):
    """A theme articles are grouped by (concept 4.4.2.6 "sagrupētu pa atbilstošajām tēmām")."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_lv = models.CharField(_("name (Latvian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_lv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_lv, self.name_en)


class Article(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles"
    )
    kind = models.CharField(_("template"), max_length=30, choices=ArticleKind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=ArticleAudience.choices)
    owner_agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    services = models.ManyToManyField(
        "catalogue.Service", verbose_name=_("services"), blank=True, related_name="+"
    )
    life_events = models.ManyToManyField(
        "catalogue.LifeEvent", verbose_name=_("life events"), blank=True, related_name="+"
    )
    title_lv = models.CharField(_("title (Latvian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_lv = models.TextField(_("summary (Latvian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    # the structured content as written: {"sections": {key: markdown}, "faq": [{"q", "a"}],
    # "links": [{"title", "url"}], "steps": [markdown]} (constants.TEMPLATES says which parts)
    content_lv = models.JSONField(_("content (Latvian)"), default=dict, blank=True)
    content_en = models.JSONField(_("content (English)"), default=dict, blank=True)
    # the same, rendered and sanitised (services.article_render): what the pages show
    html_lv = models.JSONField(default=dict, blank=True, editable=False)
    html_en = models.JSONField(default=dict, blank=True, editable=False)
    review_on = models.DateField(_("review by"))
    # the review date the owner was last told of (services.articles_review_due_notify): once per
    # article and review date
    review_notified_on = models.DateField(null=True, blank=True, editable=False)
    publish_from = models.DateTimeField(_("published from"), null=True, blank=True)
    publish_until = models.DateTimeField(_("published until"), null=True, blank=True)
    # optimistic locking: an edit names the version it was made on; a stale one is refused
    version = models.PositiveIntegerField(_("version"), default=1)
    search_text = models.TextField(default="", blank=True, editable=False)
    search_title = models.TextField(default="", blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # the titles alone (PostgreSQL): ranking reads this small vector, not the whole article's
    title_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title_lv", "pk"]
        indexes = [
            models.Index(fields=["audience", "owner_agency"], name="kb_article_audience_idx"),
            models.Index(fields=["publish_from", "publish_until"], name="kb_article_publish_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True)
                | Q(publish_from__isnull=False, publish_until__gt=models.F("publish_from")),
                name="kb_article_publish_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge_base:article", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return _pick(self.title_lv, self.title_en)

    @property
    def summary(self) -> str:
        return _pick(self.summary_lv, self.summary_en)

    @property
    def html(self) -> dict:
        """The rendered content of the page's language (Latvian where no English is written)."""
        return self.html_en if get_language() == "en" and self.title_en else self.html_lv

    def is_published(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.publish_from is not None
            and self.publish_from <= now
            and (self.publish_until is None or self.publish_until > now)
        )

    def is_outdated(self, today=None) -> bool:
        """Past its review date: shown as possibly outdated and flagged to its owner."""
        return self.review_on < (today or timezone.localdate())


class ArticleUse(models.Model):
    """An article a specialist used in a consultation, and whether it answered the caller's question
    (issue item 7: the article page's "used in N consultations; useful in M", read by the KPI work).
    The consultation is named by the caller's own key (e.g. "consultation:123"): the request registry
    sits above us and keeps the link; one row per key, so recording it again changes nothing."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="uses"
    )
    consultation_key = models.CharField(_("consultation"), max_length=MAX_CONSULTATION_KEY_CHARS, unique=True)
    useful = models.BooleanField(_("useful"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.consultation_key}"


class ArticleVersion(models.Model):
    """Every state an article was saved in: who, when, what changed (field keys), and a full snapshot
    (the diff view compares a version with the one before)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(_("author"), max_length=200, blank=True)
    at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_uniq_article_version")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class CentreNote(models.Model):
    """A one-stop centre's own note on an article (opening hours, local practice), kept apart from the
    holder's text. One per centre and article; officials see it, citizens do not."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    centre = models.ForeignKey(
        "catalogue.ServiceCentre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("centre note")
        verbose_name_plural = _("centre notes")
        ordering = ["centre_id"]
        constraints = [models.UniqueConstraint(fields=["article", "centre"], name="kb_uniq_centre_note")]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.centre_id}"


class Subscription(models.Model):
    """An official follows the changes of the articles about a service, or of a topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "catalogue.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, topic__isnull=True)
                | Q(service__isnull=True, topic__isnull=False),
                name="kb_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "service"], condition=Q(service__isnull=False), name="kb_uniq_sub_service"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="kb_uniq_sub_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.service_id or self.topic_id}"


class Script(models.Model):
    """A call script (izpildes skripts): a branching conversation for the phone channel. Its graph
    lives in its versions; `published` is the version specialists run."""

    title_lv = models.CharField(_("title (Latvian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    owner_agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    services = models.ManyToManyField("catalogue.Service", blank=True, related_name="+")
    state = models.CharField(
        _("state"), max_length=20, choices=ScriptState.choices, default=ScriptState.DRAFT
    )
    published = models.ForeignKey(
        "ScriptVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # optimistic locking, as articles
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call script")
        verbose_name_plural = _("call scripts")
        ordering = ["title_lv", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_lv, self.title_en)


class ScriptVersion(models.Model):
    """One saved graph of a script (see knowledge_base.scripts for its shape); never changed once
    saved, so a run always knows the exact graph it followed."""

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    graph = models.JSONField(_("graph"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("call script version")
        verbose_name_plural = _("call script versions")
        ordering = ["script_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["script", "number"], name="kb_uniq_script_version")]

    def __str__(self) -> str:
        return f"{self.script_id} v{self.number}"


class ScriptRun(models.Model):
    """A specialist running a script step by step: the path taken and the outcome. The consultation
    it belongs to keeps the link (requests_registry sits above us)."""

    script_version = models.ForeignKey(ScriptVersion, on_delete=models.PROTECT, related_name="runs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    centre = models.ForeignKey(
        "catalogue.ServiceCentre", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_node = models.CharField(max_length=40)
    # [{"node": id, "answer": option index or None, "at": ISO time}, ...] in the order walked
    path = models.JSONField(default=list)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ScriptOutcome.choices, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("call script run")
        verbose_name_plural = _("call script runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.script_version_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
