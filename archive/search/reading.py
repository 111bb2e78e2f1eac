"""How the search page reads its candidates, per database: query-time plumbing only.

Nothing here changes what is written to the index (that is ``archive.search.engines``,
``documents`` and ``indexing``, which the benchmark's cached archives are keyed on), so a
change here never forces the bench archives to be rebuilt.

- ``read_rows``: run a candidate read, helping PostgreSQL's planner with phrases;
- ``read_kept``: the same, with the read's SQL written once for every query of its shape.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from archive.search.documents import DocumentSpec
from archive.search.engines.base import item_words
from archive.search.engines.postgresql import CONFIG, tsquery
from archive.search.query import Group, Item, ParsedQuery, Phrase, Term

# How many reads' SQL is kept per process (least recently used dropped first). A read is
# kept per shape of query (how many words and phrases, of how many words, in what groups),
# not per query: readers' shapes are few, their words are not.
KEPT_READS = 256
# Stands for the n-th word of a query in a kept read's parameters. Letters and digits only,
# as every word is (``item_words``), so both engines pass it through unchanged.
_STAND_IN = re.compile(r"qqxw(\d+)xqq")
_kept: OrderedDict[tuple, tuple[str, list, list[int]]] = OrderedDict()
_lock = threading.Lock()


def read_rows(rows: QuerySet, query: ParsedQuery, spec: DocumentSpec) -> list[tuple]:
    """The rows of ``rows``, a values_list() query on the index table ``spec.table`` that
    matches ``query`` (and is sliced to a LIMIT).

    On PostgreSQL, a query with a phrase is read through a fence: the GIN index finds the
    records holding all the words, and the phrase is checked on those only, stopping at the
    LIMIT. The planner cannot know how few of the records holding a phrase's words hold the
    phrase itself (it estimates the words), so for a phrase of common words it walks the
    whole table in id order and checks every row: at 100,000 speeches, 46,000 long
    documents decompressed to find 1,000 matches (0.3 s). ``OFFSET 0`` keeps the matching in
    a subquery the planner plans on its own: a bitmap scan of the GIN index, then the phrase
    check, pulled row by row until the outer LIMIT is met (15,000 rechecks, about 80 ms).
    Where the query must match a phrase, the subquery asks the word pairs' index instead
    (``pairs_condition``), and the phrase is checked only on the records holding its words
    at its distances. Single words are left to the planner: for a very common word,
    walking the table in id order is the fast plan (every third row matches), a bitmap of
    300,000 rows is not.
    """
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (the ORM would not ask)
        return []
    sql, params = _fenced(rows, sql, list(params), query, spec)
    # Run as written, not through the queryset: its per-row converters (float() of each
    # score, a thousand rows) give the values the database driver already gives.
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _fenced(
    rows: QuerySet, sql: str, params: list, query: ParsedQuery, spec: DocumentSpec
) -> tuple[str, list]:
    """``rows``'s SQL with PostgreSQL's phrase matching fenced (see ``read_rows``); as it is
    on other databases, without a phrase, or if the SQL is not of the expected shape."""
    if connections[rows.db].vendor != "postgresql" or not query.has_phrase:
        return sql, params
    table = f' FROM "{spec.table}" '
    if sql.count(table) != 1:  # not the shape this was written for: run it as it is
        return sql, params
    before, after = sql.split(table)
    # The phrases' words and pairs where the query has phrases it must match (then the
    # outer query checks the whole query on what they find), else the query itself.
    narrowed = pairs_condition(query)
    if narrowed is not None:
        match_sql, match_params = narrowed
    else:
        tsquery_sql, match_params = tsquery(query)
        match_sql = f"document @@ {tsquery_sql}"
    # The fenced subquery keeps the table's name, so the outer query reads it as before.
    # A constant table name and the tsquery's SQL; every word stays a parameter.
    inner = f'SELECT * FROM "{spec.table}" WHERE {match_sql}'  # noqa: S608
    fence = f' FROM ({inner} OFFSET 0) AS "{spec.table}" '
    n = _placeholders(before)
    return before + fence + after, [*params[:n], *match_params, *params[n:]]


# What migration 0022 indexes (GIN): a search document with its word pairs. A query names
# it exactly so, for the planner to use that index.
PAIRS_INDEXED = "(document || archive_word_pairs(document))"
# A pair as a quoted tsquery lexeme: its quote marks and backslashes escaped.
_QUOTED_PAIR = r"'''' || replace(replace(w.lexeme, '\', '\\'), '''', '''''') || ''''"


def pairs_condition(query: ParsedQuery) -> tuple[str, list[str]] | None:
    """A condition on a PostgreSQL search document that every record matching ``query``
    meets, answered by the word pairs' index alone (migration 0022), or None when the query
    has no group of phrases alone that it must match.

    For each such group (one phrase, or phrases joined by OR), each phrase relaxed to its
    word pairs ("unusu 2 manag" for "unusual for managers"), or to its words when it has
    none (a phrase of one word after its stop words). Nothing in it needs the words'
    places, so the index answers it exactly, where a phrase makes PostgreSQL read every
    record that holds its words anywhere to check their places: the rare phrase's 26
    speeches were found among 8,800 so. The whole query is still checked, on the records
    this finds. A pair holds both its words, so the words are not asked beside the pairs:
    GIN then merged each word's long list with the pairs' short ones (the phrase of common
    words: 5.7 -> 1.9 ms for the quotations' index). A group holding a word is left to
    that check: a common word's records, read through the larger index, made "a phrase" OR
    budget slower (42 -> 54 ms).
    """
    groups = [g for g in query.groups if all(isinstance(item, Phrase) for item in g.items)]
    if not groups:
        return None
    params: list[str] = []
    words = f"plainto_tsquery('{CONFIG}'::regconfig, %s)"
    pairs = (
        f"(SELECT string_agg({_QUOTED_PAIR}, ' & ')::tsquery "  # noqa: S608 - constants
        f"FROM unnest(archive_word_pairs(to_tsvector('{CONFIG}'::regconfig, %s))) AS w)"
    )

    def relaxed(phrase: Phrase) -> str:
        text = " ".join(item_words(phrase))
        params.extend([text, text])
        return f"coalesce({pairs}, {words})"

    ored = ["(" + " || ".join(relaxed(phrase) for phrase in g.items) + ")" for g in groups]
    return f"{PAIRS_INDEXED} @@ ({' && '.join(ored)})", params


def _placeholders(sql: str) -> int:
    """How many ``%s`` parameters ``sql`` holds (``%%`` is an escaped percent sign)."""
    return sql.replace("%%", "").count("%s")


def read_kept(
    key: tuple,
    alias: str,
    build: Callable[[ParsedQuery], QuerySet],
    query: ParsedQuery,
    spec: DocumentSpec,
) -> list[tuple]:
    """The rows ``read_rows(build(query), query, spec)`` returns, read with SQL written once
    per process for every query of the same shape.

    Building a candidate read with the ORM and having it write the SQL took about a
    millisecond of a search, per kind of record; running it is what the index costs. The
    SQL of a read depends on the query's shape only (every word is a parameter), so it is
    written for a stand-in query of that shape, whose words are placeholders, and each
    search puts its own words in the placeholders' parameters. ``key`` says what else the
    read depends on (the record type, the limit, what is read); ``alias`` is the database
    it runs on. ``build`` must give the same SQL for every query of a shape: no filter
    values that vary, nothing read from the rows.
    """
    stand_in, shape = _stand_in(query)
    where = (alias, str(connections[alias].settings_dict["NAME"]), key, shape)
    with _lock:
        kept = _kept.get(where)
        if kept is not None:
            _kept.move_to_end(where)
    if kept is None:
        kept = _written(build(stand_in), stand_in, spec)
        with _lock:
            _kept[where] = kept
            while len(_kept) > KEPT_READS:
                _kept.popitem(last=False)
    sql, params, holding = kept
    words = [word for item in _all_items(query) for word in item_words(item)]
    values = list(params)
    for index in holding:
        values[index] = _STAND_IN.sub(lambda m: words[int(m.group(1))], params[index])
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, values)
        return [tuple(row) for row in cursor.fetchall()]


def forget_kept() -> None:
    """Drop every kept read (for tests that change how reads are written)."""
    with _lock:
        _kept.clear()


def _all_items(query: ParsedQuery) -> list[Item]:
    return [*query.items(), *query.excluded]


def _stand_in(query: ParsedQuery) -> tuple[ParsedQuery, tuple]:
    """A query of ``query``'s shape whose words are numbered placeholders, and the shape."""
    numbers = itertools.count()

    def like(item: Item) -> Item:
        if isinstance(item, Term):
            return Term(f"qqxw{next(numbers)}xqq")
        return Phrase(tuple(f"qqxw{next(numbers)}xqq" for _ in item.words))

    groups = tuple(Group(tuple(like(item) for item in group.items)) for group in query.groups)
    excluded = tuple(like(item) for item in query.excluded)
    shape = (
        tuple(tuple(_item_shape(item) for item in group.items) for group in query.groups),
        tuple(_item_shape(item) for item in query.excluded),
    )
    return ParsedQuery(text="stand-in", groups=groups, excluded=excluded), shape


def _item_shape(item: Item) -> int:
    """0 for a word, the number of words for a phrase."""
    return 0 if isinstance(item, Term) else len(item.words)


def _written(rows: QuerySet, stand_in: ParsedQuery, spec: DocumentSpec) -> tuple[str, list, list]:
    """The SQL and parameters ``read_rows`` runs for ``rows``, and which parameters hold
    the stand-in's words."""
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    sql, params = _fenced(rows, sql, list(params), stand_in, spec)
    holding = [
        i for i, value in enumerate(params) if isinstance(value, str) and _STAND_IN.search(value)
    ]
    return sql, params, holding
