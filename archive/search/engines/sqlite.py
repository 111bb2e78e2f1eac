"""SQLite engine: FTS5 virtual tables with the porter tokenizer, ranked by bm25.

The query tree is rendered as an FTS5 MATCH string in which every word and phrase is
double-quoted, so FTS5's own operators (NEAR, column filters, ``*``, ``^``) can never be
reached from what a reader types.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import QuerySet

from archive.prepared import AmongRows
from archive.search.documents import QUOTE_DOCUMENT, SPEECH_DOCUMENT, DocumentSpec
from archive.search.engines.base import (
    MARK_END,
    MARK_START,
    Engine,
    MatchExpression,
    RankExpression,
    item_words,
)
from archive.search.query import Item, ParsedQuery

SNIPPET_TOKENS = 32
# A snippet asked again when its window ends inside a phrase: FTS5 starts a window at a
# sentence's start where the phrase's first word lies within it, however long the phrase.
LONGER_SNIPPET_TOKENS = 64
ELLIPSIS = "…"


def fts5_string(item: Item) -> str:
    """One word or phrase as an FTS5 string literal (a quoted phrase of one or more tokens)."""
    return '"' + " ".join(item_words(item)).replace('"', '""') + '"'


def match_string(query: ParsedQuery) -> str:
    """The FTS5 query: ``(a OR b) AND (c) NOT ("d" OR "e f")``."""
    groups = ["(" + " OR ".join(fts5_string(i) for i in g.items) + ")" for g in query.groups]
    expression = " AND ".join(groups)
    if query.excluded:
        excluded = " OR ".join(fts5_string(i) for i in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


class Fts5Match(MatchExpression):
    def as_sql(self, compiler, connection):
        # The hidden column named after the table is how FTS5 takes a whole-row MATCH.
        column = f"{self.table_alias(compiler)}.{self.spec.table}"
        return f"{column} MATCH %s", [match_string(self.query)]


class Fts5Rank(RankExpression):
    def as_sql(self, compiler, connection):
        weights = ", ".join(str(w) for w in self.spec.bm25_weights)
        # bm25() is lower-is-better; negate it so every engine ranks bigger-is-better.
        return f"(-bm25({self.table_alias(compiler)}.{self.spec.table}, {weights}))", []


class ScannedIn(AmongRows):
    """``+rowid IN (subquery)``: the unary plus stops SQLite handing each id to FTS5 as a
    ``rowid =`` constraint, which would re-run the full-text query once per id. Instead the
    ids are collected once and each match is checked against them."""

    def __init__(self, ids: QuerySet):
        super().__init__("pk", ids)

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return f"+{sql}", params


def _marking_sql(table: str, spec: DocumentSpec, column: str, snippet: int = 0):
    """highlight() of a whole column of ``table``, or snippet() of its best-matching part
    (``snippet`` words long)."""
    index = spec.column_index(column)
    if snippet:
        sql = f"snippet({table}, {index}, %s, %s, %s, {int(snippet)})"
        return sql, [MARK_START, MARK_END, ELLIPSIS]
    return f"highlight({table}, {index}, %s, %s)", [MARK_START, MARK_END]


# Each index's declaration (its columns and tokenizer), per database: read once per process.
_declarations: dict[tuple[str, str, str], str] = {}


def _marking_table(cursor, alias: str, spec: DocumentSpec) -> str:
    """``<index>_marking``, a TEMP FTS5 table declared as the index is (read from the
    schema, so the two cannot drift), made on this connection if it is not there.

    Made every time it is used (a no-op costing a microsecond once it exists): TEMP
    tables come and go with the connection and with the transaction that made them.
    """
    key = (alias, str(connections[alias].settings_dict["NAME"]), spec.table)
    if key not in _declarations:
        cursor.execute(
            "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = %s", [spec.table]
        )
        (declared,) = cursor.fetchone()
        _declarations[key] = declared[declared.index("(") :]
    name = f"{spec.table}_marking"
    cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5{_declarations[key]}")
    return name


def _ends_on_a_mark(snippet: str | None) -> bool:
    """Whether a snippet's window ends where a mark does, before the rest of the text."""
    return bool(snippet) and snippet.endswith(MARK_END + ELLIPSIS)


class SQLiteEngine(Engine):
    vendor = "sqlite"
    # FTS5 walks its doclists backwards for free: the newest records are found first.
    scan_order = ("-pk",)
    # A record looked up in FTS5 by rowid costs 10-30 microseconds; gathering the matches
    # costs about 0.1 microsecond each. Where one record in twenty matches or more, a page
    # walks a few hundred records at most, where gathering reads 50,000 matches or more.
    looks_up_dense = True
    counts_ranked_records = True

    def among(self, ids):
        return ScannedIn(ids)

    def match(self, query, spec, *, path=""):
        return Fts5Match(query, spec, path=path)

    def rank(self, query, spec, *, path=""):
        return Fts5Rank(query, spec, path=path)

    def _marked(self, model, spec, query, ids, columns):
        """``{id: {name: marked text}}`` for these records, marked in a scratch copy.

        Asking the index itself (``MATCH … AND rowid IN (…)``) runs the full-text query
        once per id from the start of each word's doclist: 0.02 to 1 ms a record for a
        phrase of common words, 3-20 ms a page. The page's few rows are copied instead
        into a per-connection TEMP table made like the index (same columns, same
        tokenizer), and marked there by the same query: the same marks at a bounded cost
        (0.3-0.5 ms a page). TEMP tables belong to the connection alone and are never
        written to the database file.
        """
        ids = list(ids)
        if not ids:
            return {}
        alias = model.objects.db
        names = ", ".join(spec.column_names)
        placeholders = ", ".join(["%s"] * len(ids))
        with connections[alias].cursor() as cursor:
            marking = _marking_table(cursor, alias, spec)
            # Table names are constants of ours; the ids are bound parameters.
            cursor.execute(f"DELETE FROM temp.{marking}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO temp.{marking} (rowid, {names}) "  # noqa: S608
                f"SELECT rowid, {names} FROM main.{spec.table} WHERE rowid IN ({placeholders})",
                ids,
            )
            expressions, params = [], []
            for how in columns.values():
                sql, how_params = _marking_sql(marking, spec, *how)
                expressions.append(sql)
                params += how_params
            cursor.execute(
                f"SELECT rowid, {', '.join(expressions)} FROM temp.{marking} "  # noqa: S608
                f"WHERE {marking} MATCH %s",
                [*params, match_string(query)],
            )
            rows = cursor.fetchall()
        return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}

    def highlight_quotes(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        from archive.search.models import QuoteSearchEntry

        return self._marked(
            QuoteSearchEntry, QUOTE_DOCUMENT, query, ids, {"marked_text": ("text",)}
        )

    def highlight_speeches(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        from archive.search.models import SpeechSearchEntry

        columns = {"marked_title": ("title",), "marked_snippet": ("body", SNIPPET_TOKENS)}
        marked = self._marked(SpeechSearchEntry, SPEECH_DOCUMENT, query, ids, columns)
        if not query.has_phrase:
            return marked
        # A window that ends on a mark may have cut a phrase ("…bullets will have…" for
        # "bullets will have to be bitten"): those few are asked for a longer one.
        cut = [pk for pk, parts in marked.items() if _ends_on_a_mark(parts["marked_snippet"])]
        if cut:
            longer = {"marked_snippet": ("body", LONGER_SNIPPET_TOKENS)}
            for pk, parts in self._marked(
                SpeechSearchEntry, SPEECH_DOCUMENT, query, cut, longer
            ).items():
                marked[pk].update(parts)
        return marked

    def insert_sql(self, spec: DocumentSpec, source_sql: str) -> str:
        columns = ", ".join(["rowid", *spec.column_names])
        return f"INSERT INTO {spec.table} ({columns}) {source_sql}"

    def optimize(self, connection, spec):
        # Merge the b-trees a bulk insert leaves behind, so queries read one segment.
        with connection.cursor() as cursor:
            sql = f"INSERT INTO {spec.table}({spec.table}) VALUES ('optimize')"  # noqa: S608
            cursor.execute(sql)
