"""Filter tokens: the index answers a search's speaker and theme filters itself.

Each record's speaker and themes are indexed as tokens (``archive.search.documents``), and
a filtered search matches them with the words. The tokens must follow every change a
curator makes, and must never change how the words rank what they find.
"""

import pytest
from django.db import connection

from archive.filters import QuoteFilter
from archive.models import Quote
from archive.search import search
from archive.search.documents import speaker_token, theme_token
from tests.factories import make_quote, make_speaker, make_speech
from tests.search.hits import records


def quotes_found(words: str, **filters) -> set:
    return set(records(search(words, filters=filters, show="quotes").hits))


def test_a_quotations_tokens_follow_its_themes_and_its_speaker(corpus, committed):
    quote = corpus.reconfigure
    assert quote in quotes_found("reconfigure", theme="service-reconfiguration")
    with committed():
        quote.themes.set([corpus.failure])
    assert quote not in quotes_found("reconfigure", theme="service-reconfiguration")
    assert quote in quotes_found("reconfigure", theme="provider-failure")

    with committed():
        quote.themes.clear()
    assert quote not in quotes_found("reconfigure", theme="provider-failure")

    assert quote in quotes_found("reconfigure", speaker="andrew-lansley")
    with committed():
        quote.speaker = corpus.hewitt
        quote.save()
    assert quote not in quotes_found("reconfigure", speaker="andrew-lansley")
    assert quote in quotes_found("reconfigure", speaker="patricia-hewitt")


def test_a_speechs_token_follows_its_speaker(corpus, committed):
    def speeches_found(**filters) -> set:
        return set(records(search("freedom", filters=filters, show="speeches").hits))

    assert corpus.letter in speeches_found(speaker="andrew-lansley")
    with committed():
        corpus.letter.speaker = corpus.hewitt
        corpus.letter.save()
    assert corpus.letter not in speeches_found(speaker="andrew-lansley")
    assert corpus.letter in speeches_found(speaker="patricia-hewitt")


@pytest.mark.parametrize(
    "filters",
    [
        {"theme": "service-reconfiguration"},
        {"speaker": "andrew-lansley"},
        {"speaker": "patricia-hewitt", "theme": "service-reconfiguration"},
        {"speaker": "andrew-lansley", "kind": "speech"},
        {"theme": "service-reconfiguration", "quote_kind": "direct"},
    ],
)
def test_filtered_results_are_the_lists_in_the_words_own_order(corpus, committed, filters):
    """What a filtered search finds is what the quotation list's filters keep, and in the
    order the same words rank them without the filter: tokens rank for nothing."""
    with committed():
        other = make_speaker("Ann Other")
        speech = make_speech("Another speech", speaker=other, text="Reconfiguration again.")
        for n in range(3):
            make_quote(
                f"Reconfiguration {'and reconfiguration ' * n}again",
                speech=speech,
                themes=[corpus.reconfiguration],
            )
    kept = set(QuoteFilter(data=filters, queryset=Quote.objects.published()).qs)
    ranked = records(search("reconfiguration OR reconfigure", show="quotes").hits)
    filtered = records(
        search("reconfiguration OR reconfigure", filters=filters, show="quotes").hits
    )
    assert filtered, "the filters leave something to find"
    assert set(filtered) == {quote for quote in ranked if quote in kept}
    assert filtered == [quote for quote in ranked if quote in kept]


def test_the_tokens_are_in_the_index_not_in_what_readers_see(corpus):
    """The index holds each record's tokens; the pages show the records' own text."""
    quote = corpus.reconfigure
    table = "archive_quote_search"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT tags FROM {table} WHERE rowid = %s", [quote.pk])  # noqa: S608
            (indexed,) = cursor.fetchone()
        else:
            cursor.execute(f"SELECT document::text FROM {table} WHERE rowid = %s", [quote.pk])  # noqa: S608
            (indexed,) = cursor.fetchone()
    assert speaker_token(quote.speaker_id) in indexed
    assert theme_token(corpus.reconfiguration.pk) in indexed
    assert theme_token(corpus.failure.pk) not in indexed
    results = search("reconfigure", filters={"theme": "service-reconfiguration"})
    assert results.hits
    for hit in results.hits:
        assert "zz" not in str(hit.record.text)


def test_migration_0020_gives_an_archive_indexed_before_it_its_tokens(transactional_db):
    """An archive indexed without tokens (as before migration 0020) is searchable by
    speaker and theme once migrated, and finds the same quotations as its lists."""
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import make_theme

    theme = make_theme("Workforce")
    speaker = make_speaker("Jane Minister")
    speech = make_speech("On staffing", speaker=speaker, text="We need more nurses.")
    quote = make_quote("We need more nurses", speech=speech, themes=[theme])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # the tables as migration 0004 made them
            cursor.execute("DROP TABLE archive_quote_search")
            cursor.execute(
                "CREATE VIRTUAL TABLE archive_quote_search USING fts5(text, context, "
                "tokenize = 'porter unicode61 remove_diacritics 0')"
            )
            cursor.execute(
                "INSERT INTO archive_quote_search (rowid, text, context) VALUES (%s, %s, %s)",
                [quote.pk, quote.text, speaker.name],
            )
        else:  # the documents without class D
            cursor.execute(
                "UPDATE archive_quote_search SET document = ts_filter(document, '{a,b,c}')"
            )
    assert not quotes_found("nurses", theme="workforce")

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("archive", "0019_search_documents_inline")])
    executor.loader.build_graph()
    # Forward to the end, as an upgrade does: the models (and the tests after this one)
    # need every later migration's columns.
    executor.migrate(latest)

    assert quotes_found("nurses", theme="workforce") == {quote}
    assert quotes_found("nurses", speaker="jane-minister") == {quote}
    assert quotes_found("nurses") == {quote}


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_a_large_themes_token_is_left_out_where_ranking_would_count_it(corpus, monkeypatch, sort):
    """On SQLite, bm25() counts the records of every word matched, a theme's token too:
    a theme on more than FEW_TAGGED quotations is checked the other way when ranking. The
    same quotations are found either way."""
    from django.test.utils import CaptureQueriesContext

    from archive.search import service

    filters = {"theme": "service-reconfiguration"}
    expected = set(QuoteFilter(data=filters, queryset=Quote.objects.published()).qs)
    token = theme_token(corpus.reconfiguration.pk)
    for few_tagged, large in ((100_000, False), (0, True)):
        monkeypatch.setattr(service, "FEW_TAGGED", few_tagged)
        with CaptureQueriesContext(connection) as captured:
            results = search("reconfiguration OR reconfigure", filters=filters, sort=sort)
        assert set(records(results.hits)) == expected
        statements = " ".join(query["sql"] for query in captured.captured_queries)
        left_out = large and sort == "relevance" and connection.vendor == "sqlite"
        assert (token not in statements) == left_out, (few_tagged, sort)
