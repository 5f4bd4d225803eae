"""Snapshots of an article as kept in its versions, what changed between two, and the line diff
(difflib) the version page shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import SECTION_LABELS, TEMPLATES
from .content import faq_to_text, links_to_text, steps_to_text

# the fields of a snapshot, in the order the diff shows them, with their labels
FIELD_LABELS = {
    "title_lv": _("Title (Latvian)"),
    "title_en": _("Title (English)"),
    "summary_lv": _("Summary (Latvian)"),
    "summary_en": _("Summary (English)"),
    "content_lv": _("Content (Latvian)"),
    "content_en": _("Content (English)"),
    "audience": _("Audience"),
    "topic": _("Topic"),
    "services": _("Services"),
    "life_events": _("Life events"),
    "owner": _("Owner"),
    "review_on": _("Review by"),
    "publish_from": _("Published from"),
    "publish_until": _("Published until"),
}


def content_text(kind: str, content: dict) -> str:
    """The structured content as plain text with the sections' (Latvian) names: what a diff compares."""
    template = TEMPLATES.get(kind)
    if template is None or not content:
        return ""
    parts = []
    sections = content.get("sections") or {}
    for key in template.sections:
        if sections.get(key):
            parts.append(f"## {SECTION_LABELS[key]}\n{sections[key]}")
    if template.faq and content.get("faq"):
        parts.append(f"## FAQ\n{faq_to_text(content['faq'])}")
    if template.links and content.get("links"):
        parts.append(f"## Links\n{links_to_text(content['links'])}")
    if template.steps and content.get("steps"):
        parts.append(f"## Steps\n{steps_to_text(content['steps'])}")
    return "\n\n".join(parts)


def field_text(snapshot: dict, field: str) -> str:
    value = snapshot.get(field)
    if field in ("content_lv", "content_en"):
        return content_text(snapshot.get("kind", ""), value or {})
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """The snapshot fields whose text differs (all of them filled for a first version)."""
    if before is None:
        return [f for f in FIELD_LABELS if field_text(after, f)]
    return [f for f in FIELD_LABELS if field_text(before, f) != field_text(after, f)]


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "removed", "added"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    lines: list[DiffLine]


def diff(before: dict | None, after: dict) -> list[FieldDiff]:
    """Per changed field, its lines: kept, removed and added (difflib.SequenceMatcher on lines)."""
    result = []
    for field in changed_fields(before, after):
        old = field_text(before or {}, field).splitlines()
        new = field_text(after, field).splitlines()
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if tag == "equal":
                lines += [DiffLine("same", line) for line in old[i1:i2]]
                continue
            lines += [DiffLine("removed", line) for line in old[i1:i2]]
            lines += [DiffLine("added", line) for line in new[j1:j2]]
        result.append(FieldDiff(field=field, label=str(FIELD_LABELS[field]), lines=lines))
    return result
