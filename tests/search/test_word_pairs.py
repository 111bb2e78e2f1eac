"""On PostgreSQL a phrase's candidates are found through the word pairs' index (migration
0022), which never loses a record the phrase matches."""

import pytest
from django.db import connection

from archive.search import reading, service
from archive.search.engines import engine_for
from archive.search.engines.postgresql import tsquery
from archive.search.query import parse_query

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's phrase index"),
]

PHRASES = [
    '"bullets will have to be bitten"',
    '"decisions will"',  # one word and a stop word: no pair, its word is looked up
    '"will need to be made"',  # "need" and "made" three places apart
    '"hospital closures will have to be bitten"',  # "bitten" too far from any word to pair
    '"hospital closures"',
    '"closures hospital"',
    '"reconfigure services"',
    '"services" reconfigure',
    'provider "hospital closures"',
    '"bullets will" -decisions',
    '"bullets bitten" OR "hospital closures"',
    '"hospital closures" OR reconfigure',  # a phrase or a word: read as before
    'reconfigure -"hospital closures"',  # a phrase only left out: read as before
]


def pairs(text: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM unnest(archive_word_pairs(to_tsvector('english', %s)))", [text]
        )
        return {row[0] for row in cursor.fetchall()}


def test_each_word_is_paired_with_the_three_places_after_it():
    assert pairs("Unusual for managers at Leeds General") == {
        "unusu 2 manag",
        "manag 2 leed",
        "manag 3 general",
        "leed 1 general",
    }
    assert pairs("for the") == set() and pairs("managers") == set()


def asked(query: str) -> str:
    """The tsquery that ``pairs_condition`` asks the pairs' index for ``query``, as text."""
    sql, params = reading.pairs_condition(parse_query(query))
    asked_sql = sql.split(" @@ ", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({asked_sql})::text", params)  # noqa: S608 - ours
        return cursor.fetchone()[0]


def test_a_phrase_asks_the_index_for_its_pairs_alone_or_its_words_without_any():
    # A pair holds both its words: asking for the words too made GIN merge their long lists.
    assert asked('"hospital closures"') == "'hospit 1 closur'"
    assert asked('"unusual for managers"') == "'unusu 2 manag'"
    assert asked('"decisions will"') == "'decis'"
    either = asked('"bullets bitten" OR "hospital closures"')
    assert either == "'bullet 1 bitten' | 'hospit 1 closur'"


def _matching(t, query) -> set[int]:
    """The published records whose document matches the query, by PostgreSQL's own test."""
    sql, params = tsquery(parse_query(query))
    published = t.model.objects.published().values_list("pk", flat=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {t.spec.table} WHERE document @@ {sql}", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()} & set(published)


@pytest.mark.parametrize("query", PHRASES)
def test_a_phrase_read_through_its_pairs_finds_every_record_it_matches(corpus, query):
    for t in service.RECORD_TYPES:
        parsed = parse_query(query)
        rows = service._candidate_rows(t, engine_for(), parsed, {}, 1001, scored=True)
        found = {row[0] for row in reading.read_rows(rows, parsed, t.spec)}
        assert found == _matching(t, query), (t.name, query)
    assert _matching(service.RECORD_TYPES[0], '"bullets will have to be bitten"')


@pytest.mark.parametrize(
    "query", ['"bullets will have to be bitten"', 'x "hospital closures" OR "bullets bitten"']
)
def test_the_phrase_read_uses_the_pairs_index(corpus, query):
    parsed = parse_query(query)
    t = service.RECORD_TYPES[0]
    rows = service._candidate_rows(t, engine_for(), parsed, {}, 1001, scored=True)
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    sql, params = reading._fenced(rows, sql, list(params), parsed, t.spec)
    assert reading.PAIRS_INDEXED in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: show it can be used
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{t.spec.table}_pairs_gin" in plan


def _gin_indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'archive_%%_search' "
            "AND indexdef LIKE '%% USING gin %%'"
        )
        return dict(cursor.fetchall())


def test_a_bulk_load_sets_the_gin_indexes_aside_and_makes_them_again():
    from archive.search.indexing import gin_indexes_set_aside

    before = _gin_indexes()
    assert set(before) == {
        "archive_quote_search_document_gin",
        "archive_quote_search_pairs_gin",
        "archive_speech_search_document_gin",
        "archive_speech_search_pairs_gin",
    }
    with gin_indexes_set_aside():
        assert _gin_indexes() == {}
    assert _gin_indexes() == before
    with pytest.raises(RuntimeError), gin_indexes_set_aside():
        raise RuntimeError("the load failed")
    assert _gin_indexes() == before  # the drops are undone with the load
