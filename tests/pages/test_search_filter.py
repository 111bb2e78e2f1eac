"""The lists' ``q`` filter searches through ``archive.search`` and combines with the rest."""

import datetime as dt

import pytest

from tests.factories import make_quote, make_sample_archive, make_speech
from tests.pages.helpers import listed_quotes, listed_speeches, select_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(db, django_capture_on_commit_callbacks):
    """The sample archive, with the search index updates (run on commit) applied."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_sample_archive()


def test_words_narrow_the_quotes_list(client, indexed):
    response = client.get("/quotes/", {"q": "bullets bitten"})
    assert listed_quotes(response) == [indexed.bullets.slug]


def test_words_combine_with_filters_and_facets(client, indexed):
    a = indexed
    response = client.get("/quotes/", {"q": "back", "theme": a.reconfig.slug})
    assert sorted(listed_quotes(response)) == sorted([a.back.slug, a.hewitt_back.slug])
    speakers = select_options(response, "speaker")
    assert speakers[a.hewitt.slug] == "Patricia Hewitt (1)"
    assert speakers[a.lansley.slug] == "Andrew Lansley (1)"
    assert "Words:</span> “back”" in response.content.decode()  # its chip


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("the", "Very common words are not searched for: “the”."),
        ('"will have to"', "A phrase of very common words only (“will have to”) cannot be"),
        ("-bullets", "A search cannot only leave words out"),
    ],
)
def test_words_with_nothing_to_look_for_are_explained_not_listed_as_nothing(
    client, indexed, words, why
):
    # As the search page does: "0 quotes" with no reason looked like a broken filter.
    for url in ("/quotes/", "/speeches/"):
        html = client.get(url, {"q": words}).content.decode()
        assert 'class="error-summary"' in html and why in html, url
    for url in ("/api/quotes/", "/feeds/quotes/", "/quotes/export.csv"):
        response = client.get(url, {"q": words})
        assert response.status_code == 400, url
        assert why in response.content.decode(), url


def test_words_on_the_speeches_list_never_find_drafts(client, indexed):
    response = client.get("/speeches/", {"q": "secret words"})
    assert listed_speeches(response) == []


def test_best_match_order_is_offered_only_with_words(client, indexed):
    assert "relevance" not in select_options(client.get("/quotes/"), "sort")
    with_words = select_options(client.get("/quotes/", {"q": "back"}), "sort")
    assert with_words["relevance"] == "Best match (with words)"


@pytest.fixture
def budget_quotes(db, django_capture_on_commit_callbacks):
    """An older quotation that is the better match for "budget", and a newer one."""
    with django_capture_on_commit_callbacks(execute=True):
        older = make_quote("Budget, budget, budget.", speech=make_speech(date=dt.date(2001, 1, 1)))
        newer = make_quote(
            "The budget is one of many things we discussed at length today.",
            speech=make_speech(date=dt.date(2020, 1, 1)),
        )
    return older, newer


def test_words_are_in_best_match_order_when_few_match(client, budget_quotes):
    older, newer = budget_quotes
    response = client.get("/quotes/", {"q": "budget"})
    assert listed_quotes(response) == [older.slug, newer.slug]
    assert "shown newest first" not in response.text
    assert 'value="relevance" selected' in response.text


def test_words_matching_more_than_a_search_ranks_are_listed_newest_first(
    client, settings, budget_quotes
):
    settings.SEARCH_MATCH_LIMIT = 1  # "budget" now matches more than a search ranks
    older, newer = budget_quotes
    response = client.get("/quotes/", {"q": "budget"})
    assert listed_quotes(response) == [newer.slug, older.slug]
    assert "that lists with them are shown newest first" in response.text
    assert 'value="newest" selected' in response.text
    # Asked for, the best-match order is given (and costs what it costs).
    ranked = client.get("/quotes/", {"q": "budget", "sort": "relevance"})
    assert listed_quotes(ranked) == [older.slug, newer.slug]
    assert "shown newest first" not in ranked.text
    # The other doors list the same records in the same order.
    api = client.get("/api/quotes/", {"q": "budget"}).json()["results"]
    assert [record["id"] for record in api] == [newer.slug, older.slug]
    feed = client.get("/feeds/quotes/", {"q": "budget"}).content.decode()
    assert feed.index(newer.slug) < feed.index(older.slug)
