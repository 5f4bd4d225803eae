"""One guard for input no page takes: NUL bytes and absurd numbers answer 400 (404 in an address)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/services/?agency=%00",
        "/services/?channel=VSAA%00",
        "/services/?q=%00",
        "/api/v1/services/?life_event=%00",
        "/services/?page=99999999999999999999",
        "/services/?q%00=x",
    ],
)
def test_nul_bytes_and_absurd_numbers_in_a_query_are_a_bad_request(client, url):
    response = client.get(url)

    assert response.status_code == 400


def test_the_api_answers_a_problem(client):
    response = client.get("/api/v1/services/?agency=%00")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_api_checks_a_long_number_in_its_query_against_its_schema(client):
    # a page past the last (the schema allows any integer from 1), not a guard's 400
    response = client.get("/api/v1/services/?page=99999999999999999999")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_page_answers_our_page_in_the_page_language(client):
    client.cookies["django_language"] = "en"

    response = client.get("/services/?agency=%00")

    assert response.status_code == 400 and b'<html lang="en">' in response.content


def test_a_nul_byte_in_a_posted_form_is_a_bad_request(client):
    response = client.post("/account/login/", {"person": "1\x00", "means": "eid_card"})

    assert response.status_code == 400


def test_an_absurd_number_in_an_address_is_not_found(client):
    assert client.get(f"/cases/consultations/{10**30}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/services/?q=371 20000000 000000", "/services/?q=123456789012345678", "/services/?q=ā"]
)
def test_ordinary_input_passes(client, url):
    assert client.get(url).status_code == 200
