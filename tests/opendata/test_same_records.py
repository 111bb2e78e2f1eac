"""Each door (CSV, API, Atom feed) gives the same records, in the same order, as its page.

Checked on the seed archive for a theme filter, a speaker filter, a search, and a mix.
"""

import csv
import io

import pytest

from tests.opendata.conftest import entry_ids, listed, search_hits, slug_of

pytestmark = pytest.mark.usefixtures("seed", "whole_lists")

QUERIES = {
    "theme": {"theme": "service-reconfiguration"},
    "speaker": {"speaker": "patricia-hewitt"},
    "search": {"q": "commissioners"},
    "search, theme and minister": {
        "q": "reconfiguration OR trusts",
        "theme": "provider-failure",
        "minister": "1",
    },
    "speaker, oldest first": {"speaker": "andrew-lansley", "sort": "oldest"},
    # Words in date order: walked, the matches are gathered once and checked row by row.
    "search, newest first": {"q": "commissioners OR trusts", "sort": "newest"},
    "search and theme, oldest first": {
        "q": "providers OR NHS",
        "theme": "provider-failure",
        "sort": "oldest",
    },
}


def csv_slugs(client, kind: str, params: dict) -> list[str]:
    response = client.get(f"/{kind}/export.csv", params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["id"] for row in csv.DictReader(io.StringIO(text))]


def api_slugs(client, kind: str, params: dict) -> list[str]:
    slugs, page = [], 1
    while True:
        response = client.get(f"/api/{kind}/", {**params, "page": page, "page_size": 7})
        assert response.status_code == 200, response.content
        body = response.json()
        slugs += [record["id"] for record in body["results"]]
        if not body["next"]:
            return slugs
        page += 1


def feed_slugs(client, kind: str, params: dict) -> list[str]:
    response = client.get(f"/feeds/{kind}/", params)
    assert response.status_code == 200
    return [slug_of(url) for url in entry_ids(response)]


@pytest.mark.parametrize("kind", ["quotes", "speeches"])
@pytest.mark.parametrize("params", QUERIES.values(), ids=QUERIES.keys())
# 1: the page and the feed read a large set's first rows by walking the date index.
@pytest.mark.parametrize("walk_from", [5000, 1], ids=["sorted", "walked"])
def test_csv_api_and_feed_list_what_the_page_lists(client, settings, kind, params, walk_from):
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    page = listed(client.get(f"/{kind}/", params), kind)
    assert csv_slugs(client, kind, params) == page
    assert api_slugs(client, kind, params) == page
    assert feed_slugs(client, kind, params) == page


def test_the_filters_really_narrow_the_lists(client):
    """Guards the comparison above: the filtered pages differ from the whole list."""
    everything = listed(client.get("/quotes/"), "quotes")
    for params in QUERIES.values():
        narrowed = listed(client.get("/quotes/", params), "quotes")
        assert narrowed
        assert len(narrowed) < len(everything)


def test_a_theme_feed_and_csv_link_list_what_the_theme_page_lists(client):
    params = {"speaker": "andrew-lansley"}
    page = listed(client.get("/themes/commissioning-autonomy/", params), "quotes")
    assert page
    assert feed_slugs(client, "themes/commissioning-autonomy", params) == page
    assert csv_slugs(client, "quotes", {**params, "theme": "commissioning-autonomy"}) == page


def test_a_speaker_feed_lists_the_speakers_quotes_as_the_quotes_page_does(client):
    page = listed(client.get("/quotes/", {"speaker": "patricia-hewitt"}), "quotes")
    assert feed_slugs(client, "speakers/patricia-hewitt", {}) == page


def test_the_search_feed_lists_what_the_search_page_lists_newest_first(client):
    page = search_hits(client.get("/search/", {"q": "commissioners", "sort": "newest"}))
    entries = entry_ids(client.get("/feeds/search/", {"q": "commissioners"}))
    assert {kind for kind, _ in page} == {"quotes", "speeches"}
    assert [(url.split("/")[-3], slug_of(url)) for url in entries] == page
