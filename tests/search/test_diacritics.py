"""Search compares letters without their diacritics, on both databases (migration 0026):
a reader who types "naive" finds "naïve", and one who types "café" finds "cafe". The
quotation is shown, and its matched word highlighted, as it is written."""

import pytest
from django.db import connection
from django.test import override_settings

from archive.search import capped_matches, search
from tests.factories import make_quote, make_speech
from tests.search.hits import records


@pytest.fixture
def accented(db, committed):
    with committed():
        speech = make_speech("On optimism", text="Naïve optimism is not a plan.")
        naive = make_quote("Naïve optimism is not a plan.", speech=speech)
        cafe = make_quote("A cafe in every hospital will not cut waiting lists.")
        resume = make_quote("The Résumé of the review is due in Zürich and São Paulo.")
        plain = make_quote("Optimism about the plan.")
    return naive, cafe, resume, plain


def quotes(words: str) -> list:
    return records(search(words, show="quotes").hits)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("naive", 0),
        ("naïve", 0),
        ("NAÏVE", 0),
        ("café", 1),
        ("cafe", 1),
        ("resume", 2),
        ("zurich", 2),
        ("sao paulo", 2),
        ('"naive optimism"', 0),
        ("reśumé", 2),
    ],
)
def test_words_are_found_with_or_without_their_diacritics(accented, typed, expected):
    assert quotes(typed) == [accented[expected]]


def test_the_matched_word_is_highlighted_as_it_is_written(accented):
    (hit,) = search("naive", show="quotes").hits
    assert "<mark>Naïve</mark>" in hit.marked_text
    (speech_hit,) = search("naive", show="speeches").hits
    assert "<mark>Naïve</mark>" in speech_hit.marked_text


def test_a_phrase_with_an_accent_still_needs_its_words_in_order(accented):
    assert quotes('"optimism naive"') == []
    assert accented[3] not in quotes("naive optimism")


@override_settings(DEBUG=False)
def test_the_search_page_finds_and_shows_the_accented_quotation(accented, client):
    response = client.get("/search/", {"q": "naive"})
    assert response.status_code == 200
    assert "<mark>Naïve</mark> optimism is not a plan." in response.content.decode()


def test_migration_0026_folds_an_index_that_kept_diacritics_and_undoes_it(
    transactional_db, committed
):
    """Back before it, the index keeps diacritics ("naive" finds nothing); forward again,
    it folds them: both written again from the records, nothing lost."""
    from django.db.migrations.executor import MigrationExecutor

    with committed():
        quote = make_quote("Naïve optimism is not a plan.")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("archive", "0025_source_is_original")])

    def found(words: str) -> list[int]:
        # The index's own read (ids): the page's rows would ask columns added since 0025.
        return [pk for pk, _ in capped_matches(words, limit=10)]

    try:
        assert found("naïve") == [quote.pk]
        assert found("naive") == []
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
    assert quotes("naive") == [quote]
    assert quotes("naïve") == [quote]
