"""PlainSelect renders what Django's Select renders, without a template per option."""

from django import forms
from django.test.html import parse_html

from kernel.widgets import PlainSelect

CHOICES = [("", "All"), ("x", "X <&> “ā”"), ("2", "Two")]


class Both(forms.Form):
    django = forms.ChoiceField(choices=CHOICES, required=True, help_text="Pick one")
    plain = forms.ChoiceField(choices=CHOICES, required=True, help_text="Pick one", widget=PlainSelect)


def _same(html: str, name: str):
    """The parsed element (attribute order and whitespace do not count), the field's name made equal."""
    return parse_html(html.replace(f'name="{name}"', 'name="F"').replace(f"id_{name}", "id_F"))


def test_plain_select_renders_as_djangos():
    for data in ({"django": "x", "plain": "x"}, {"django": "nope", "plain": "nope"}, None):
        form = Both(data)
        if data:
            form.is_valid()  # errors add aria-invalid
        assert _same(str(form["plain"]), "plain") == _same(str(form["django"]), "django")
