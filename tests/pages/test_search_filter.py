"""The lists' ``q`` filter searches through ``archive.search`` and combines with the rest."""

import pytest

from tests.factories import make_sample_archive
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


def test_words_on_the_speeches_list_never_find_drafts(client, indexed):
    response = client.get("/speeches/", {"q": "secret words"})
    assert listed_speeches(response) == []


def test_best_match_order_is_offered_only_with_words(client, indexed):
    assert "relevance" not in select_options(client.get("/quotes/"), "sort")
    with_words = select_options(client.get("/quotes/", {"q": "back"}), "sort")
    assert with_words["relevance"] == "Best match (with words)"
