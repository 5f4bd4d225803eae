"""Latvian by default, English on request, Latvian for anything unknown."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    content = response.content.decode()
    start = content.index('<html lang="') + len('<html lang="')
    return content[start : content.index('"', start)]


def test_latvian_is_the_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "lv"


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "lv;q=0.5,en;q=0.9"])
def test_pages_stay_latvian_whatever_the_browser_prefers(client, accept):
    # the state portal opens in Latvian; English is chosen with the switch, not by the browser
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE=accept)) == "lv"


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9"])
def test_the_api_follows_accept_language(client, accept):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code in {401, 403}
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("accept", ["de", "xx", "zz-ZZ", "*", "", "ru,de;q=0.8", ";;;===", "a" * 500])
def test_unknown_accept_language_falls_back_to_latvian(client, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert html_lang(response) == "lv"


@pytest.mark.parametrize("cookie", ["xx", "de", "../../etc", "", "en-XX-invalid"])
def test_unknown_language_cookie_falls_back(client, cookie):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) in {"lv", "en"}
    if not cookie.startswith("en"):
        assert html_lang(response) == "lv"


def test_switching_language_sets_the_cookie_and_the_page_follows(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/")
    assert html_lang(response) == "en"
    assert "Skip to main content" in response.content.decode()


def test_switching_to_an_unknown_language_keeps_latvian(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert html_lang(client.get("/")) == "lv"


def test_latvian_page_is_translated(client):
    content = client.get("/").content.decode()
    assert "Pāriet uz galveno saturu" in content  # the skip link, from the compiled Latvian catalogue


def test_set_language_refuses_an_open_redirect(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_latvian_plurals_follow_one_formula_with_djangos_own_strings():
    from django.template.defaultfilters import filesizeformat
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("lv"):
        assert [filesizeformat(n).replace("\xa0", " ") for n in (0, 1, 21, 45)] == [
            "0 baitu",
            "1 baits",
            "21 baits",
            "45 baiti",
        ]
        assert [
            ngettext("%(counter)s service", "%(counter)s services", n) % {"counter": n} for n in (1, 5, 0)
        ] == [
            "1 pakalpojums",
            "5 pakalpojumi",
            "0 pakalpojumu",
        ]
