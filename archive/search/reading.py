"""How the search page reads its candidates, per database: query-time plumbing only.

Nothing here changes what is written to the index (that is ``archive.search.engines``,
``documents`` and ``indexing``, which the benchmark's cached archives are keyed on), so a
change here never forces the bench archives to be rebuilt.

- ``read_rows``: run a candidate read, helping PostgreSQL's planner with phrases.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet

from archive.search.documents import DocumentSpec
from archive.search.engines.postgresql import tsquery
from archive.search.query import ParsedQuery, Phrase


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
    Single words are left to the planner: for a very common word, walking the table in id
    order is the fast plan (every third row matches), a bitmap of 300,000 rows is not.
    """
    phrase = any(isinstance(item, Phrase) for item in query.items())
    if connections[rows.db].vendor != "postgresql" or not phrase:
        return list(rows)
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    table = f' FROM "{spec.table}" '
    if sql.count(table) != 1:  # not the shape this was written for: run it as it is
        return list(rows)
    before, after = sql.split(table)
    match_sql, match_params = tsquery(query)
    # The fenced subquery keeps the table's name, so the outer query reads it as before.
    # A constant table name and the tsquery's SQL; every word stays a parameter.
    inner = f'SELECT * FROM "{spec.table}" WHERE document @@ {match_sql}'  # noqa: S608
    fence = f' FROM ({inner} OFFSET 0) AS "{spec.table}" '
    n = _placeholders(before)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(before + fence + after, [*params[:n], *match_params, *params[n:]])
        return [tuple(row) for row in cursor.fetchall()]


def _placeholders(sql: str) -> int:
    """How many ``%s`` parameters ``sql`` holds (``%%`` is an escaped percent sign)."""
    return sql.replace("%%", "").count("%s")
