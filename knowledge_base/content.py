"""Article content: Markdown rendered by markdown-it-py and sanitised by nh3, and the plain-text forms
the edit page uses for the structured parts (no JavaScript needed).

Two walls against script and HTML injection: markdown-it runs with raw HTML off (a `<script>` is
shown as text) and refuses `javascript:`, `vbscript:`, `file:` and `data:` links (left as text);
then nh3 keeps only the tags and attributes below, links only with http(s), mailto and tel (or
relative), and adds rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString
from markdown_it import MarkdownIt

from .constants import LINK_SCHEMES, TEMPLATES

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
        "a", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _href_safe(value: str) -> bool:
    """An absolute link with one of LINK_SCHEMES, a path on this site, or a fragment; nothing else
    (e.g. "java%09script:…", which a browser takes for a relative path) keeps its href."""
    value = value.strip()
    if value.startswith("#") or (value.startswith("/") and not value.startswith("//")):
        return True
    scheme, sep, _rest = value.partition(":")
    return bool(sep) and scheme.lower() in LINK_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not _href_safe(value):
        return None
    return value


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def stored_html(html: str):
    """HTML kept with an article (rendered and sanitised on save), for a template: sanitised once more
    here, so that only what nh3 lets through is ever marked safe."""
    return SafeString(sanitise(html or ""))  # nosec B703


def render_markdown(text: str) -> str:
    """Markdown → safe HTML (headings of the page's own levels h1/h2 are kept as their text)."""
    if not text or not text.strip():
        return ""
    return sanitise(_md.render(text))


def link_allowed(url: str) -> bool:
    """A legal-basis link: an absolute http(s) address (nothing else is offered as a link)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return (
        parts.scheme.lower() in {"http", "https"}
        and bool(parts.netloc)
        and not any(ch.isspace() or ord(ch) < 32 for ch in url.strip())
    )


def render_content(kind: str, content: dict) -> dict:
    """The structured content of one language, rendered: {"sections": {key: html}, "faq": [{"q": text,
    "a": html}], "links": [{"title", "url"}], "steps": [html]} — only the parts the template has."""
    template = TEMPLATES[kind]
    sections = content.get("sections") or {}
    rendered: dict = {
        "sections": {
            key: render_markdown(sections.get(key, "")) for key in template.sections if sections.get(key)
        }
    }
    if template.faq:
        rendered["faq"] = [
            {"q": pair["q"], "a": render_markdown(pair.get("a", ""))} for pair in content.get("faq") or []
        ]
    if template.links:
        rendered["links"] = [
            {"title": link["title"], "url": link["url"]}
            for link in content.get("links") or []
            if link_allowed(link.get("url", ""))
        ]
    if template.steps:
        rendered["steps"] = [render_markdown(step) for step in content.get("steps") or []]
    return rendered


# --- the edit page's plain-text forms of the lists --------------------------------------------------


def faq_from_text(text: str) -> list[dict]:
    """Blocks separated by an empty line; a block's first line is the question, the rest its answer."""
    pairs = []
    for block in _blocks(text):
        question, *answer = block
        pairs.append({"q": question.strip(), "a": "\n".join(answer).strip()})
    return pairs


def faq_to_text(pairs: list[dict]) -> str:
    return "\n\n".join(f"{pair['q']}\n{pair.get('a', '')}".strip() for pair in pairs or [])


def links_from_text(text: str) -> list[dict]:
    """One link a line: `title | https://address` (a line without "|" is its own title)."""
    links = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, sep, url = line.rpartition("|")
        if not sep:
            title, url = line, line
        links.append({"title": title.strip(), "url": url.strip()})
    return links


def links_to_text(links: list[dict]) -> str:
    return "\n".join(f"{link['title']} | {link['url']}" for link in links or [])


def steps_from_text(text: str) -> list[str]:
    """One step a line (a leading "1." or "-" is dropped)."""
    steps = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        head, _dot, rest = stripped.partition(". ")
        if head.isdigit() and rest:
            stripped = rest
        elif stripped.startswith(("- ", "* ")):
            stripped = stripped[2:]
        steps.append(stripped.strip())
    return steps


def steps_to_text(steps: list[str]) -> str:
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps or [], start=1))


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks
