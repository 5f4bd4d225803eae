"""The shared form includes: every field labelled, help and errors tied to the field, the summary links to it."""

import re

import pytest
from django import forms
from django.template import Context, Template

TEMPLATE = Template(
    '{% include "includes/form_errors.html" %}'
    "{% for field in form %}{% include 'includes/field.html' with field=field %}{% endfor %}"
)


class EveryKindForm(forms.Form):
    text = forms.CharField(help_text="Some help")
    plain = forms.CharField(required=False)
    choice = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one"
    )
    tick = forms.BooleanField(help_text="Tick it")
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    select = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("data", [None, {}], ids=["unbound", "with errors"])
def test_every_reference_points_to_an_element_and_every_input_is_labelled(data):
    html = TEMPLATE.render(Context({"form": EveryKindForm(data=data)}))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    # every aria-describedby and every error-summary link points to an element of the page
    for refs in re.findall(r'aria-describedby="([^"]+)"', html):
        for ref in refs.split():
            assert ref in ids, f"aria-describedby points to a missing #{ref}"
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, f"the error summary links to a missing #{target}"
    # every visible input has a label
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert input_id in labelled, f"#{input_id} has no label"
    if data is not None:
        assert 'class="error-summary"' in html
        assert html.count('aria-invalid="true"') >= 6
    # grouped choices are a fieldset with a legend
    assert html.count("<fieldset") == 2 and html.count("<legend>") == 2
