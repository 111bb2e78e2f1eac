"""A plain search's candidate read is written as SQL once per shape of query, and each
search puts its own words in it: the same matches as a read built afresh, every time."""

import pytest

from archive.search import reading, search, service
from archive.search.engines import engine_for
from archive.search.query import parse_query
from tests.search.hits import records

# Pairs of queries of one shape, and one query of every other shape.
QUERIES = [
    "maternity",
    "bullets",
    "reconfigure services",
    "hospital closures",
    '"bullets will have"',
    '"hospital closures are"',
    "closures OR provider",
    "maternity OR failure",
    "reconfigure -maternity",
    "reconfigure -closures",
    '"bullets will" -decisions',
    '"hospital closures" -easy',
    'provider "hospital closures"',
    "qqxw0xqq",  # a reader's word that looks like the stand-ins: searched as itself
    "reconfigure qqxw1xqq",
]


@pytest.fixture(autouse=True)
def _nothing_kept():
    reading.forget_kept()
    yield
    reading.forget_kept()


def _afresh(t, query, scored=True):
    """The candidates as a read built by the ORM for this query alone."""
    parsed = parse_query(query)
    rows = service._candidate_rows(t, engine_for(), parsed, {}, 1001, scored=scored, details=True)
    return [tuple(row) for row in rows]  # through the ORM, with its converters


def _kept(t, query, scored=True):
    return [
        tuple(c)
        for c in service._candidates(t, engine_for(), parse_query(query), {}, 1001, scored=scored)
    ]


@pytest.mark.parametrize("scored", [True, False])
def test_every_kept_read_finds_what_a_read_built_afresh_finds(corpus, scored):
    for t in service.RECORD_TYPES:
        for query in QUERIES:
            afresh = _afresh(t, query, scored)
            assert _kept(t, query, scored) == afresh, (t.name, query)
            # Again, now from the kept SQL (the first may have written it).
            assert _kept(t, query, scored) == afresh, (t.name, query)


def test_a_second_query_of_a_shape_gets_its_own_matches(corpus):
    assert set(records(search("maternity").hits)) == {corpus.maternity, corpus.alliance}
    assert set(records(search("bullets").hits)) == {corpus.bitten, corpus.show}
    assert set(records(search("maternity").hits)) == {corpus.maternity, corpus.alliance}
    phrase = records(search('"hospital closures are"').hits)
    assert set(phrase) == {corpus.closures, corpus.alliance}
    assert records(search('"bullets will have"').hits)[0] in {corpus.bitten, corpus.show}
    assert corpus.closures not in records(search('"bullets will have"').hits)


def test_the_sql_is_written_once_per_shape(corpus, monkeypatch):
    built = []
    original = service._candidate_rows

    def counting(t, engine, query, *args, **kwargs):
        built.append((t.name, query.to_string()))
        return original(t, engine, query, *args, **kwargs)

    monkeypatch.setattr(service, "_candidate_rows", counting)
    search("maternity")
    assert len(built) == 2  # quotations and speeches
    search("closures")
    search("bullets")
    assert len(built) == 2
    search("maternity closures")  # another shape
    assert len(built) == 4
    # Never a reader's words: the SQL is written for stand-ins.
    assert all("maternity" not in query for _, query in built)


def test_filtered_searches_are_built_afresh(corpus):
    results = search("reconfigure", filters={"speaker": corpus.hewitt.slug})
    assert set(records(results.hits)) == {corpus.closures, corpus.maternity, corpus.alliance}
    assert not reading._kept


def test_kept_reads_are_bounded(corpus, monkeypatch):
    monkeypatch.setattr(reading, "KEPT_READS", 3)
    for query in QUERIES:
        search(query)
    assert len(reading._kept) == 3
    assert set(records(search("maternity").hits)) == {corpus.maternity, corpus.alliance}


@pytest.mark.parametrize("query", ["reconfigure", '"hospital closures"', "maternity -bullets"])
def test_a_filtered_read_gives_the_rows_the_orm_gives(corpus, query):
    # read_rows runs the read's SQL itself, without the ORM's per-row converters.
    parsed = parse_query(query)
    active = {"speaker": corpus.hewitt}
    read = 0
    for t in service.RECORD_TYPES:
        rows = service._candidate_rows(
            t, engine_for(), parsed, active, 1001, scored=True, details=True
        )
        found = reading.read_rows(rows, parsed, t.spec)
        assert found == [tuple(row) for row in rows]
        assert reading.read_rows(rows.none(), parsed, t.spec) == []
        read += len(found)
    assert read  # the speaker said it: rows to compare
