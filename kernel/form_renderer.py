"""A form renderer that writes the simplest widget templates in Python: an `<input>` (every type),
a radio or checkbox option and a `<textarea>`. As templates, a radio of five options with its
attributes cost some 20 template renders: more than the page they were on. The output is the same
as Django's own templates give, character for character (kernel/tests/test_form_renderer.py
compares them); everything else (selects, multiple inputs, file inputs, forms) is left to them."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_WIDGETS = "django/forms/widgets/"
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "hidden",
        "url",
        "tel",
        "search",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
    )
)
_OPTIONS = frozenset(f"{_WIDGETS}{name}.html" for name in ("input_option", "radio_option", "checkbox_option"))
_TEXTAREA = f"{_WIDGETS}textarea.html"


def _attrs(attrs: dict) -> SafeString:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _input(widget: dict) -> SafeString:
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        "" if value is None else format_html(' value="{}"', value),
        _attrs(widget["attrs"]),
    )


def _option(widget: dict) -> SafeString:
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = widget["attrs"].get("id")
    return format_html(
        "<label{}>{}\n {}</label>",  # the newline that ends input.html
        format_html(' for="{}"', label_for) if label_for else "",
        _input(widget),
        widget["label"],
    )


def _textarea(widget: dict) -> SafeString:
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        _attrs(widget["attrs"]),
        widget["value"] or "",
    )


class PlainWidgetsRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer (FORM_RENDERER), with those widgets written in Python.

    A value Django's templates would localise rather than print (a number or a date given as an
    option's label or as a widget's type or name) goes to the template, so nothing reads differently.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and self._plain(widget):
            if template_name in _INPUTS:
                return _input(widget)
            if template_name in _OPTIONS and isinstance(widget.get("label", ""), str | Promise):
                return _option(widget)
            if template_name == _TEXTAREA:
                return _textarea(widget)
        return super().render(template_name, context, request)

    @staticmethod
    def _plain(widget: dict) -> bool:
        return isinstance(widget.get("name"), str) and isinstance(widget.get("type", ""), str)
