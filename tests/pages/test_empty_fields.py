"""A filter form sent without JavaScript (every field, most of them empty) lands on the
address without the empty fields: the one a reader can share, with the same results."""

import pytest

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "/quotes/",
    "/speeches/",
    "/search/",
    "/events/",
    "/pledges/",
    "/compare/",
    "/themes/provider-failure/",
]


def test_a_list_sent_with_empty_fields_goes_on_to_the_address_without_them(client, seed):
    response = client.get("/quotes/?q=&speaker=&theme=provider-failure&date_after=&sort=oldest")
    assert response.status_code == 302
    assert response["Location"] == "/quotes/?theme=provider-failure&sort=oldest"

    followed = client.get(response["Location"])
    assert followed.status_code == 200
    direct = client.get("/quotes/", {"theme": "provider-failure", "sort": "oldest"})
    assert followed.content == direct.content


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_page_with_a_filter_form_drops_empty_fields(client, seed, path):
    response = client.get(f"{path}?q=&date_after=")
    assert response.status_code == 302
    assert response["Location"] == path
    assert client.get(path).status_code == 200


def test_words_and_repeated_fields_are_kept_as_sent(client, seed):
    response = client.get("/search/?q=caf%C3%A9+%26+%22NHS%22&speaker=&theme=&show=quotes")
    assert response["Location"] == "/search/?q=caf%C3%A9+%26+%22NHS%22&show=quotes"
    response = client.get(
        "/compare/?speaker=andrew-lansley&speaker=&speaker=patricia-hewitt&theme="
    )
    assert response["Location"] == "/compare/?speaker=andrew-lansley&speaker=patricia-hewitt"


def test_an_address_without_empty_fields_is_answered_as_it_is(client, seed):
    assert client.get("/quotes/?theme=provider-failure").status_code == 200
    assert client.get("/search/?q=NHS").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/quotes/export.csv?theme=&speaker=andrew-lansley",
        "/api/quotes/?theme=&speaker=andrew-lansley",
        "/feeds/quotes/?theme=&speaker=andrew-lansley",
    ],
)
def test_downloads_feeds_and_the_api_are_not_redirected(client, seed, url):
    # Scripts read them, and a script may not follow a redirect.
    assert client.get(url).status_code == 200
