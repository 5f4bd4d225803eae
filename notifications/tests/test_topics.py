import pytest

from notifications import topics
from notifications.topics import LANGUAGES, TOPICS, Localised, MissingPlaceholder, sms_count


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(TOPICS))
def test_every_topic_renders_its_sample_in_both_languages(code, language):
    topic = TOPICS[code]

    rendered = topic.render(topic.sample, language)

    assert rendered.subject and rendered.body and rendered.sms
    assert "{" not in rendered.subject + rendered.body + rendered.sms


@pytest.mark.parametrize("code", sorted(TOPICS))
def test_every_template_uses_only_declared_placeholders_and_the_sample_has_them_all(code):
    topic = TOPICS[code]

    for language in LANGUAGES:
        for template in (topic.subject[language], topic.body[language], topic.sms[language]):
            assert topics.placeholders_of(template) <= set(topic.placeholders), (code, language, template)
    assert set(topic.placeholders) <= set(topic.sample)


def test_a_missing_placeholder_fails_loudly():
    topic = TOPICS["case_status_changed"]
    context = dict(topic.sample)
    del context["number"]

    with pytest.raises(MissingPlaceholder):
        topic.render(context, "lv")


def test_unknown_topic_fails_loudly():
    with pytest.raises(topics.UnknownTopic):
        topics.topic_get("no_such_topic")


def test_localised_values_and_lazy_labels_read_in_the_recipients_language():
    from django.utils.translation import gettext_lazy

    topic = TOPICS["case_status_changed"]
    context = {
        "number": "1011-0000001",
        "service": Localised("Pabalsts", "Benefit"),
        "status": gettext_lazy("Completed"),
        "note": "",
    }

    lv, en = topic.render(context, "lv"), topic.render(context, "en")

    assert "Pabalsts" in lv.body and "Benefit" in en.body
    assert "Completed" in en.subject


def test_gsm7_text_fits_160_characters_in_one_sms():
    assert sms_count("a" * 160).segments == 1
    assert sms_count("a" * 160).encoding == "GSM-7"
    assert sms_count("a" * 161).segments == 2  # 153 a part once split
    assert sms_count("a" * 306).segments == 2
    assert sms_count("a" * 307).segments == 3


def test_the_gsm7_extension_characters_count_twice():
    count = sms_count("€" * 80)

    assert count.encoding == "GSM-7" and count.units == 160 and count.segments == 1


@pytest.mark.parametrize("letter", list("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"))
def test_a_latvian_diacritic_makes_the_whole_sms_ucs2(letter):
    count = sms_count(letter + "a" * 69)

    assert count.encoding == "UCS-2" and count.units == 70 and count.segments == 1
    assert sms_count(letter + "a" * 70).segments == 2  # 67 a part once split
    assert sms_count(letter + "a" * 70).warning


def test_every_topics_sample_sms_fits_in_one_message():
    for preview in topics.topics_preview():
        assert not preview.sms.warning, (preview.topic.code, preview.rendered.language, preview.sms)
