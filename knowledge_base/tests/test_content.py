"""Article bodies: Markdown rendered, script and HTML injection and `javascript:` links made inert."""

import pytest

from knowledge_base.content import (
    faq_from_text,
    faq_to_text,
    link_allowed,
    links_from_text,
    render_markdown,
    steps_from_text,
)


def test_markdown_is_rendered_to_html():
    html = render_markdown(
        "**Svarīgi:** iesniedziet [iesniegumu](https://www.vsaa.gov.lv/).\n\n- viens\n- divi"
    )

    assert "<strong>Svarīgi:</strong>" in html
    assert '<a href="https://www.vsaa.gov.lv/" rel="noopener noreferrer nofollow">iesniegumu</a>' in html
    assert "<ul>" in html and "<li>viens</li>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<p onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(text):
    html = render_markdown(text)

    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<style" not in html
    assert "&lt;" in html  # shown as text, escaped


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[y][x]",
        "[x](java&#x09;script:alert(1))",
    ],
)
def test_javascript_and_data_links_are_inert(link):
    html = render_markdown(link)

    assert 'href="javascript' not in html.lower()
    assert 'href="vbscript' not in html.lower()
    assert 'href="data:' not in html.lower()
    assert 'href="java' not in html.lower()


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java%09script:alert(1)">x</a>',
        '<a href="//evil.example/">x</a>',
        '<script>alert(1)</script><p onclick="x()">t</p>',
    ],
)
def test_the_sanitiser_alone_keeps_no_script_and_no_unsafe_link(html):
    from knowledge_base.content import sanitise

    clean = sanitise(html)

    assert "href" not in clean and "<script" not in clean and "onclick" not in clean


def test_page_level_headings_become_plain_text():
    assert "<h1>" not in render_markdown("# Virsraksts") and "Virsraksts" in render_markdown("# Virsraksts")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://likumi.lv/ta/id/1", True),
        ("http://likumi.lv", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT://likumi.lv/%0aalert(1)", False),
        ("/relative", False),
        ("ftp://x.lv", False),
        ("https://likumi.lv/a b", False),
    ],
)
def test_a_legal_basis_link_must_be_an_absolute_web_address(url, allowed):
    assert link_allowed(url) is allowed


def test_faq_text_round_trips():
    text = "Kas var saņemt?\nViens no vecākiem.\n\nCik ilgi?\nDesmit darba dienas.\nParasti ātrāk."

    pairs = faq_from_text(text)

    assert pairs == [
        {"q": "Kas var saņemt?", "a": "Viens no vecākiem."},
        {"q": "Cik ilgi?", "a": "Desmit darba dienas.\nParasti ātrāk."},
    ]
    assert faq_from_text(faq_to_text(pairs)) == pairs


def test_links_and_steps_are_read_one_a_line():
    assert links_from_text("Likums | https://likumi.lv/1\n\nhttps://x.lv") == [
        {"title": "Likums", "url": "https://likumi.lv/1"},
        {"title": "https://x.lv", "url": "https://x.lv"},
    ]
    assert steps_from_text("1. Pieslēdzieties\n- Aizpildiet\n\nIesniedziet") == [
        "Pieslēdzieties",
        "Aizpildiet",
        "Iesniedziet",
    ]
