"""The Python-written widgets give exactly the HTML of Django's own widget templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from kernel.form_renderer import PlainWidgetsRenderer

TEMPLATES = DjangoTemplates()
PLAIN = PlainWidgetsRenderer()

ATTRS = [
    {},
    {"id": "id_x", "required": True, "disabled": False},
    {"class": 'a "quoted" <b>', "maxlength": 30, "aria-describedby": "id_x_helptext id_x_error"},
    {"data-none": None, "autofocus": True, "placeholder": "Vārds & uzvārds"},
]
VALUES = [None, "", "plain", 'a "quote" & <tag>', SafeString("<b>safe</b>"), 0, 5, Decimal("12.50")]
INPUTS = [
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.URLInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.Textarea,
]


def both(widget, name, value, attrs):
    return widget.render(name, value, attrs, TEMPLATES), widget.render(name, value, attrs, PLAIN)


@pytest.mark.parametrize("widget_class", INPUTS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs_and_textareas_read_as_the_templates_write_them(widget_class, attrs):
    widget = widget_class(attrs={"class": "field"}) if widget_class is not forms.Textarea else widget_class()
    values = [*VALUES, datetime.date(2026, 12, 2), datetime.datetime(2026, 12, 2, 7, 30)]
    if widget_class is forms.CheckboxInput:
        values = [True, False, None, "on", ""]
    for value in values:
        expected, plain = both(widget, 'na"me<', value, dict(attrs))
        assert plain == expected, (widget_class.__name__, value, attrs)


@pytest.mark.parametrize("widget_class", [forms.RadioSelect, forms.CheckboxSelectMultiple])
@pytest.mark.parametrize("language", ["lv", "en"])
def test_options_one_by_one_and_whole(widget_class, language):
    choices = [(1, "viens"), (2, gettext_lazy("Yes")), ("x<y", 'a "b" & c'), (3, SafeString("<i>ok</i>"))]
    widget = widget_class(choices=choices, attrs={"id": "id_rating", "class": "choices"})
    with translation.override(language):
        for value in (None, 1, "x<y", [1, 3]):
            expected = widget.render("rating", value, None, TEMPLATES)
            assert widget.render("rating", value, None, PLAIN) == expected
            for sub in widget.subwidgets("rating", value, {"id": "id_rating"}):
                for wrap in (False, True):
                    context = {"widget": {**sub, "wrap_label": wrap}}
                    template = sub["template_name"]
                    assert PLAIN.render(template, context) == TEMPLATES.render(template, context)


def test_a_bound_form_field_by_field_reads_the_same():
    class Form(forms.Form):
        name = forms.CharField(max_length=20, help_text="Help")
        rating = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
        note = forms.CharField(widget=forms.Textarea, required=False)
        agree = forms.BooleanField()
        when = forms.DateField()

    bound = Form({"name": "<x>", "rating": "3", "note": "a\nb", "when": "2026-12-02"})
    bound.is_valid()
    for name in bound.fields:
        field = bound[name]
        assert field.as_widget() == Form({**bound.data}, renderer=TEMPLATES)[name].as_widget()
        if name == "rating":
            assert [choice.tag() for choice in field] == [
                choice.tag() for choice in Form({**bound.data}, renderer=TEMPLATES)[name]
            ]


def test_a_widget_template_of_another_kind_is_left_to_the_templates():
    select = forms.Select(choices=[("a", "A"), ("b", "B")])
    assert select.render("s", "a", {"id": "id_s"}, PLAIN) == select.render(
        "s", "a", {"id": "id_s"}, TEMPLATES
    )
    context = {"widget": {"name": "n", "type": 3, "value": None, "attrs": {}}}
    assert PLAIN.render("django/forms/widgets/input.html", context) == TEMPLATES.render(
        "django/forms/widgets/input.html", context
    )
