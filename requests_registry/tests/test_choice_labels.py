"""kernel.choices.ChoiceLabels on cases and their history gives exactly Django's get_FOO_display(), in the language of the moment."""

from django.db import models
from django.utils import translation

from requests_registry.constants import CaseStatus, Channel
from requests_registry.models import Case, StatusChange


def django_display(instance, name: str):
    return models.Model._get_FIELD_display(instance, instance._meta.get_field(name))


def test_every_choice_reads_as_django_reads_it_in_both_languages():
    for language in ("lv", "en"):
        with translation.override(language):
            for status in CaseStatus.values:
                case = Case(status=status, channel=Channel.E_SERVICE)
                assert case.get_status_display() == django_display(case, "status")
                assert case.get_channel_display() == django_display(case, "channel")
                change = StatusChange(from_status="", to_status=status)
                assert change.get_to_status_display() == django_display(change, "to_status")


def test_the_label_follows_the_active_language():
    case = Case(status=CaseStatus.COMPLETED)
    with translation.override("en"):
        english = case.get_status_display()
    with translation.override("lv"):
        latvian = case.get_status_display()
    assert english == "Completed" and latvian != english


def test_a_value_outside_the_choices_reads_as_itself():
    assert Case(status="no-such-status").get_status_display() == "no-such-status"
    assert StatusChange(from_status="").get_from_status_display() == ""
