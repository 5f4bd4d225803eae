"""Forms of the call scripts' pages: a run's step and end, and the editor's (a new script, adding a
node, one node)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.widgets import PlainSelect

from .. import scripts
from ..constants import MAX_SCRIPT_TEXT_CHARS, NodeKind, ScriptOutcome


class StepForm(forms.Form):
    answer = forms.TypedChoiceField(label=_("The caller's answer"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(str(n), label) for n, label in enumerate(options)]


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the conversation end?"), choices=ScriptOutcome.choices, widget=forms.RadioSelect
    )


# --- the call script editor --------------------------------------------------------------------------

NEW_OPTION_ROWS = 2  # empty answer rows a question's form offers (save, and two more appear)
NOT_CHOSEN = ("", _("— not chosen yet —"))
_SPLIT = re.compile(r"[\s,;]+")


def _text(label, *, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_SCRIPT_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ScriptCreateForm(forms.Form):
    title_lv = forms.CharField(label=_("Title (Latvian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    text_lv = _text(
        _("Opening words (Latvian)"), required=True, help_text=_("What the specialist says first.")
    )
    text_en = _text(_("Opening words (English)"))
    services = forms.MultipleChoiceField(
        label=_("Services"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._services = {s.code: s for s in services}
        self.fields["services"].choices = [(s.code, f"{s.code} {s.title}") for s in services]

    def selected_services(self) -> list:
        return [self._services[code] for code in self.cleaned_data.get("services") or []]


class VersionForm(forms.Form):
    """The version of the script a page was made from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**9)


class NodeAddForm(VersionForm):
    kind = forms.ChoiceField(
        label=_("Kind of node"),
        choices=[(kind.value, kind.label) for kind in scripts.EDITABLE_KINDS],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Short name (optional)"),
        required=False,
        max_length=40,
        help_text=_("Small letters, digits, “-” and “_”, e.g. “birth-registered”. Empty: one is made up."),
    )


class NodeForm(VersionForm):
    """One node of a script's graph: its texts and what its kind has (a start's or a note's next
    node, a question's answers each with the node it leads to, an end's outcome, a note's links).
    A node other than the start may change its kind: the texts are kept and the page asks again for
    what the new kind has."""

    def __init__(self, *args, node: dict, targets=(), articles_known=None, services_known=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.node = node
        self.kind = node.get("kind")
        self._articles_known = articles_known or (lambda ids: set())
        self._services_known = services_known or (lambda codes: set())
        choices = [NOT_CHOSEN, *targets]
        if self.kind != NodeKind.START:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Kind of node"),
                choices=[(kind.value, kind.label) for kind in scripts.EDITABLE_KINDS],
                widget=PlainSelect,
                help_text=_("Changing it keeps the texts; then fill in what the new kind needs."),
            )
        question = self.kind == NodeKind.QUESTION
        self.fields["text_lv"] = _text(
            _("The question (Latvian)") if question else _("What the specialist says (Latvian)"),
            required=True,
        )
        self.fields["text_en"] = _text(
            _("The question (English)") if question else _("What the specialist says (English)")
        )
        if self.kind in (NodeKind.START, NodeKind.NOTE):
            self.fields["next"] = forms.ChoiceField(
                label=_("Then go to"), choices=choices, required=False, widget=PlainSelect
            )
        self.option_count = 0
        if question:
            existing = len(node.get("options") or [])
            self.option_count = min(existing + NEW_OPTION_ROWS, scripts.MAX_OPTIONS)
            for i in range(self.option_count):
                n = i + 1
                self.fields[f"option_{i}_label_lv"] = forms.CharField(
                    label=_("Answer %(n)s (Latvian)") % {"n": n}, required=False, max_length=300
                )
                self.fields[f"option_{i}_label_en"] = forms.CharField(
                    label=_("Answer %(n)s (English)") % {"n": n}, required=False, max_length=300
                )
                self.fields[f"option_{i}_next"] = forms.ChoiceField(
                    label=_("Answer %(n)s leads to") % {"n": n},
                    choices=choices,
                    required=False,
                    widget=PlainSelect,
                )
        if self.kind == NodeKind.END:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=[NOT_CHOSEN, *ScriptOutcome.choices],
                required=False,
                widget=PlainSelect,
            )
        if self.kind == NodeKind.NOTE:
            self.fields["articles"] = forms.CharField(
                label=_("Articles to link"),
                required=False,
                max_length=400,
                help_text=_("Their numbers (in the article's address), separated by commas."),
            )
            self.fields["services"] = forms.CharField(
                label=_("Services to link"),
                required=False,
                max_length=400,
                help_text=_("Their codes, separated by commas."),
            )

    @staticmethod
    def initial_of(node: dict, version: int) -> dict:
        initial = {
            "version": version,
            "kind": node.get("kind"),
            "text_lv": node.get("text_lv", ""),
            "text_en": node.get("text_en", ""),
            "next": node.get("next", ""),
            "outcome": node.get("outcome", ""),
        }
        for i, option in enumerate(node.get("options") or []):
            if isinstance(option, dict):
                for key in ("label_lv", "label_en", "next"):
                    initial[f"option_{i}_{key}"] = option.get(key, "")
        links = [link for link in node.get("links") or [] if isinstance(link, dict)]
        initial["articles"] = ", ".join(str(link["article"]) for link in links if "article" in link)
        initial["services"] = ", ".join(str(link["service"]) for link in links if "service" in link)
        return initial

    def main_fields(self) -> list:
        """The visible fields but the answers' (which the template shows row by row)."""
        return [self[name] for name in self.fields if name != "version" and not name.startswith("option_")]

    def option_rows(self) -> list[tuple[int, list]]:
        """The answers' fields, row by row, for the template."""
        return [
            (i + 1, [self[f"option_{i}_{key}"] for key in ("label_lv", "label_en", "next")])
            for i in range(self.option_count)
        ]

    def clean_articles(self) -> list[int]:
        words = [w for w in _SPLIT.split(self.cleaned_data.get("articles") or "") if w]
        if any(not w.isdigit() or len(w) > 12 for w in words):
            raise forms.ValidationError(_("Give the articles' numbers: digits, separated by commas."))
        ids = list(dict.fromkeys(int(w) for w in words))
        missing = [str(i) for i in ids if i not in self._articles_known(ids)]
        if missing:
            raise forms.ValidationError(
                _("No article you may read has the number %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        return ids

    def clean_services(self) -> list[str]:
        codes = list(dict.fromkeys(w for w in _SPLIT.split(self.cleaned_data.get("services") or "") if w))
        known = self._services_known([c[:20] for c in codes]) if codes else set()
        missing = [c for c in codes if c not in known]
        if missing:
            raise forms.ValidationError(
                _("No service has the code %(codes)s.") % {"codes": ", ".join(c[:20] for c in missing)}
            )
        return codes

    def clean(self):
        data = super().clean()
        for i in range(self.option_count):
            label = (data.get(f"option_{i}_label_lv") or "").strip()
            if not label and (
                (data.get(f"option_{i}_label_en") or "").strip() or data.get(f"option_{i}_next")
            ):
                self.add_error(
                    f"option_{i}_label_lv", _("Give the answer's Latvian text, or clear the whole row.")
                )
        return data

    @property
    def kind_changed(self) -> bool:
        return self.kind != NodeKind.START and self.cleaned_data.get("kind", self.kind) != self.kind

    def to_node(self) -> dict:
        """The node as saved: what it had, with this form's changes."""
        data = self.cleaned_data
        kind = data.get("kind") or self.kind
        node = scripts.node_with_kind(self.node, kind)
        node["text_lv"] = data["text_lv"].strip()
        node["text_en"] = (data.get("text_en") or "").strip()
        if kind != self.kind:
            return node
        if kind in (NodeKind.START, NodeKind.NOTE):
            node["next"] = data.get("next") or ""
        if kind == NodeKind.QUESTION:
            node["options"] = [
                {
                    "label_lv": data[f"option_{i}_label_lv"].strip(),
                    "label_en": (data.get(f"option_{i}_label_en") or "").strip(),
                    "next": data.get(f"option_{i}_next") or "",
                }
                for i in range(self.option_count)
                if (data.get(f"option_{i}_label_lv") or "").strip()
            ]
        if kind == NodeKind.END:
            node["outcome"] = data.get("outcome") or ""
        if kind == NodeKind.NOTE:
            links = [{"article": i} for i in data.get("articles") or []]
            links += [{"service": code} for code in data.get("services") or []]
            if links:
                node["links"] = links
            else:
                node.pop("links", None)
        return node
