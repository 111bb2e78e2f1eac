"""The search service's public candidate read, used by features other than the search page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Status
from archive.search import capped_matches, capped_matches_per_word, search
from archive.search.service import RECORD_TYPES
from tests.search.hits import records


def ids(rows):
    return {pk for pk, _ in rows}


def test_capped_matches_returns_published_matches_up_to_the_limit(corpus):
    assert ids(capped_matches("maternity", limit=10)) == {corpus.maternity.pk}
    assert capped_matches("secret", limit=10) == []  # only a draft says it
    # Stemming, and the quote's themes are part of what a quote is found by.
    reconfiguration = ids(capped_matches("reconfigure", limit=10))
    assert reconfiguration == {
        corpus.bitten.pk,
        corpus.reconfigure.pk,
        corpus.closures.pk,
        corpus.maternity.pk,
    }
    assert len(capped_matches("reconfigure", limit=2)) == 2
    assert capped_matches("maternity", limit=10, scored=True)[0][1] > 0


def test_capped_matches_reads_speeches_and_ignores_noise(corpus):
    assert ids(capped_matches('"bullets will have"', limit=5, kind="speeches")) == {corpus.show.pk}
    assert capped_matches('"bullets bitten"', limit=5, kind="speeches") == []
    assert capped_matches("the OR", limit=5) == []


def test_many_words_are_read_in_one_statement_with_the_same_matches(corpus):
    words = ["reconfigure", "maternity", "secret", "the", "Bullets", "nosuchwordanywhere"]
    with CaptureQueriesContext(connection) as captured:
        found = capped_matches_per_word(words, limit=2)
    assert len(captured.captured_queries) == 1
    assert "the" not in found  # a stop word alone searches for nothing
    for word in set(words) - {"the"}:
        assert found[word] == [pk for pk, _ in capped_matches(word, limit=2)], word
    assert found["secret"] == []  # only a draft says it
    assert found["maternity"] == [corpus.maternity.pk]
    assert len(found["reconfigure"]) == 2


@pytest.fixture
def own_cache(corpus, settings, request):
    """A cache of the test's own, so nothing remembered elsewhere counts and nothing shared is
    cleared, and what each process reads once (the index's columns) already read."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.name}",
        }
    }
    search("reconfiguration OR freedom")


def test_a_repeated_filtered_search_does_not_count_the_filter_again(corpus, own_cache):
    # How many records a filter leaves only picks the plan, so it is remembered.
    runs = []
    # A kind of statement is checked by the database (the index holds no token of it).
    filters = {"kind": "letter"}
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            results = search("reconfiguration OR freedom", filters=filters)
        runs.append((len(captured.captured_queries), records(results.hits)))
    assert runs[0][1] == runs[1][1]
    assert corpus.letter in runs[0][1]
    assert runs[1][0] == runs[0][0] - 2  # one count per record type: quotes, speeches


def test_a_speaker_or_theme_filter_is_answered_by_the_index_alone(corpus, own_cache):
    # Their records' filter tokens are matched with the words: nothing is counted or
    # checked record by record, and the first search makes no more queries than the next.
    for filters in ({"speaker": "andrew-lansley"}, {"theme": "service-reconfiguration"}):
        counted = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                search("reconfiguration OR freedom", filters=filters)
            counted.append(len(captured.captured_queries))
            statements = " ".join(query["sql"] for query in captured.captured_queries)
            assert "EXISTS(SELECT" not in statements.upper().replace(" (", "(")
        assert counted[0] == counted[1], filters


def test_each_record_types_status_path_keeps_what_published_keeps(corpus):
    # The candidate read filters index rows by this path instead of calling published().
    for record_type in RECORD_TYPES:
        via_index = record_type.entry.objects.filter(**{record_type.status: Status.PUBLISHED})
        published = record_type.model.objects.published()
        assert set(via_index.values_list("pk", flat=True)) == set(
            published.values_list("pk", flat=True)
        )
        assert published.count() < record_type.model.objects.count()  # a draft is left out
