"""Forms of the articles' pages: search, the article of a template, centre notes, subscriptions."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.widgets import PlainSelect

from ..constants import SECTION_LABELS, TEMPLATES, ArticleAudience, ArticleKind
from ..content import (
    faq_from_text,
    faq_to_text,
    links_from_text,
    links_to_text,
    steps_from_text,
    steps_to_text,
)
from ..services import ArticleData

RIGA = ZoneInfo("Europe/Riga")
LANG_LABELS = {"lv": _("Latvian"), "en": _("English")}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=PlainSelect)
    audience = forms.ChoiceField(label=_("Audience"), required=False, widget=PlainSelect)
    agency = forms.ChoiceField(label=_("Agency"), required=False, widget=PlainSelect)
    service = forms.CharField(label=_("Service code"), max_length=6, required=False)

    def __init__(self, *args, topics=(), audiences=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.name) for t in topics]
        self.fields["audience"].choices = [("", _("All audiences"))] + [
            (value, label) for value, label in ArticleAudience.choices if value in audiences
        ]
        self.fields["agency"].choices = [("", _("All agencies"))] + [(a.code, a.name) for a in agencies]
        if len(audiences) <= 1:
            del self.fields["audience"]
        if not agencies:
            del self.fields["agency"]


def _date_start(day, kept: datetime | None = None) -> datetime | None:
    """The start of `day` in Riga; `kept` (the stored moment) when it falls on that day already."""
    if not day:
        return None
    if kept is not None and kept.astimezone(RIGA).date() == day:
        return kept
    return datetime.combine(day, time(0, 0), tzinfo=RIGA)


class ArticleForm(forms.Form):
    """The fields of one template (kind): titles, summaries, the template's sections in both
    languages, FAQ / links / steps as plain text, classification, dates, and the hidden `version`
    the edit started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=10**9)
    title_lv = forms.CharField(label=_("Title (Latvian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    summary_lv = forms.CharField(
        label=_("Summary (Latvian)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, widget=PlainSelect)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=ArticleAudience.choices, widget=forms.RadioSelect
    )
    services = forms.MultipleChoiceField(
        label=_("Services"), required=False, widget=forms.CheckboxSelectMultiple
    )
    life_events = forms.MultipleChoiceField(
        label=_("Life events"), required=False, widget=forms.CheckboxSelectMultiple
    )
    review_on = forms.DateField(
        label=_("Review by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("After this date the article is shown as possibly outdated."),
    )
    publish_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: a draft only your agency sees."),
    )
    publish_until = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, kind: str, topics, services=(), life_events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.template = TEMPLATES[kind]
        self.fields["topic"].queryset = topics
        self._services = {s.code: s for s in services}
        self._events = {e.code: e for e in life_events}
        self.fields["services"].choices = [(s.code, f"{s.code} {s.title}") for s in services]
        self.fields["life_events"].choices = [(e.code, e.name) for e in life_events]
        for lang in ("lv", "en"):
            language = LANG_LABELS[lang]
            for key in self.template.sections:
                self.fields[f"{key}_{lang}"] = forms.CharField(
                    label=f"{SECTION_LABELS[key]} ({language})",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("Markdown: **bold**, *italic*, lists with “-”, links [text](https://…)."),
                )
            if self.template.faq:
                self.fields[f"faq_{lang}"] = forms.CharField(
                    label=_("Questions and answers (%(language)s)") % {"language": language},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 8}),
                    help_text=_(
                        "Separate the pairs by an empty line: the first line is the question, "
                        "the following lines are its answer."
                    ),
                )
            if self.template.links:
                self.fields[f"links_{lang}"] = forms.CharField(
                    label=_("Legal basis links (%(language)s)") % {"language": language},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("One a line: title | https://address"),
                )
            if self.template.steps:
                self.fields[f"steps_{lang}"] = forms.CharField(
                    label=_("Steps (%(language)s)") % {"language": language},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    help_text=_("One step a line."),
                )

    @classmethod
    def initial_of(cls, article) -> dict:
        initial = {
            "version": article.version,
            "title_lv": article.title_lv,
            "title_en": article.title_en,
            "summary_lv": article.summary_lv,
            "summary_en": article.summary_en,
            "topic": article.topic_id,
            "audience": article.audience,
            "services": [s.code for s in article.services.all()],
            "life_events": [e.code for e in article.life_events.all()],
            "review_on": article.review_on,
            "publish_from": article.publish_from.astimezone(RIGA).date() if article.publish_from else None,
            "publish_until": article.publish_until.astimezone(RIGA).date() if article.publish_until else None,
        }
        for lang in ("lv", "en"):
            content = getattr(article, f"content_{lang}") or {}
            for key, text in (content.get("sections") or {}).items():
                initial[f"{key}_{lang}"] = text
            initial[f"faq_{lang}"] = faq_to_text(content.get("faq") or [])
            initial[f"links_{lang}"] = links_to_text(content.get("links") or [])
            initial[f"steps_{lang}"] = steps_to_text(content.get("steps") or [])
        return initial

    def _content(self, lang: str) -> dict:
        data = self.cleaned_data
        content: dict = {"sections": {key: data.get(f"{key}_{lang}", "") for key in self.template.sections}}
        if self.template.faq:
            content["faq"] = faq_from_text(data.get(f"faq_{lang}", ""))
        if self.template.links:
            content["links"] = links_from_text(data.get(f"links_{lang}", ""))
        if self.template.steps:
            content["steps"] = steps_from_text(data.get(f"steps_{lang}", ""))
        return content

    def to_data(self, article=None) -> ArticleData:
        """The service's input; `article`: the one edited (its publication moments kept to the second
        when their day is unchanged)."""
        data = self.cleaned_data
        return ArticleData(
            topic=data["topic"],
            audience=data["audience"],
            title_lv=data["title_lv"],
            title_en=data.get("title_en", ""),
            summary_lv=data.get("summary_lv", ""),
            summary_en=data.get("summary_en", ""),
            content_lv=self._content("lv"),
            content_en=self._content("en"),
            services=[self._services[code] for code in data.get("services") or []],
            life_events=[self._events[code] for code in data.get("life_events") or []],
            review_on=data["review_on"],
            publish_from=_date_start(data.get("publish_from"), getattr(article, "publish_from", None)),
            publish_until=_date_start(data.get("publish_until"), getattr(article, "publish_until", None)),
        )


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Template"), choices=ArticleKind.choices, widget=forms.RadioSelect)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your centre's note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Opening hours, local practice: shown to officials beside the agency's text."),
    )


class TopicSubscribeForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), widget=PlainSelect)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.slug, t.name) for t in topics]


class ServiceSubscribeForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), widget=PlainSelect)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.code, f"{s.code} {s.title}") for s in services]
