"""PostgreSQL engine: a stored, weighted tsvector per record, GIN-indexed, ranked by ts_rank.

The query tree is rendered as a composition of ``plainto_tsquery`` / ``phraseto_tsquery``
calls joined with the tsquery operators ``&&``, ``||`` and ``!!``. Every word travels as a
bound parameter, so nothing a reader types is ever parsed as tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Expression, F, TextField

from archive.search.documents import BM25_WEIGHTS, DocumentSpec
from archive.search.engines.base import (
    MARK_END,
    MARK_START,
    Engine,
    MatchExpression,
    RankExpression,
    item_words,
)
from archive.search.query import ParsedQuery, Phrase

# The archive's own text search configuration: PostgreSQL's "english" with diacritics
# folded (``unaccent``) before stemming, so "naive" finds "naïve" and "cafe" "café", as on
# SQLite (FTS5's ``remove_diacritics 2``). Made by migration 0026 (``ensure_configuration``).
CONFIG = "archive_english"
# The parser's word types that may hold letters with diacritics, and the dictionary that
# "english" gives each (ASCII-only words, "asciiword" and the like, have none to fold).
_FOLDED_TYPES = {
    "word, hword, hword_part": "english_stem",
    "numword, numhword, hword_numpart": "simple",
}
# ts_rank normalisation 1 divides by 1 + log(length), so a long speech does not outrank a
# quote merely by repeating a word (bm25 on SQLite normalises for length too).
RANK_NORMALISATION = 1
# ts_rank's weights of the classes {D, C, B, A}: BM25_WEIGHTS over ten (its defaults for C, B
# and A), so that class D, the filter tokens, does not rank.
RANK_WEIGHTS = "{" + ", ".join(str(BM25_WEIGHTS[c] / 10) for c in "DCBA") + "}"
_MARKS = f'StartSel="{MARK_START}", StopSel="{MARK_END}"'
WHOLE_TEXT = f"HighlightAll=true, {_MARKS}"
FRAGMENTS = f'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … ", {_MARKS}'


def ensure_configuration(cursor, *, fold: bool = True) -> None:
    """Make ``CONFIG`` if it is missing, folding diacritics (``fold``) or not, as "english"
    does. ``unaccent`` ships with PostgreSQL and is a trusted extension: a database's owner
    may create it. Documents are not rewritten: a caller that changes ``fold`` on a filled
    index rebuilds it (``archive.search.indexing.rebuild``)."""
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
    if cursor.fetchone() is None:
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    if fold:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for types, dictionary in _FOLDED_TYPES.items():
        dictionaries = f"unaccent, {dictionary}" if fold else dictionary
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {types} "
            f"WITH {dictionaries}"
        )


def _plain(column_sql: str) -> str:
    """The column's text with angle brackets blanked: PostgreSQL's parser would otherwise
    read ``<word>`` as an XML tag and skip it, where FTS5 indexes the word."""
    return f"translate(coalesce({column_sql}, ''), '<>', '  ')"


def tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    """SQL for the query as a tsquery, and its parameters (one per word or phrase)."""
    params: list[str] = []

    def item_sql(item) -> str:
        params.append(" ".join(item_words(item)))
        function = "phraseto_tsquery" if isinstance(item, Phrase) else "plainto_tsquery"
        return f"{function}('{CONFIG}'::regconfig, %s)"

    groups = ["(" + " || ".join(item_sql(i) for i in g.items) + ")" for g in query.groups]
    sql = " && ".join(groups)
    if query.excluded:
        sql = f"({sql}) && !!(" + " || ".join(item_sql(i) for i in query.excluded) + ")"
    return f"({sql})", params


class TsMatch(MatchExpression):
    def as_sql(self, compiler, connection):
        sql, params = tsquery(self.query)
        return f"{self.table_alias(compiler)}.document @@ {sql}", params


class TsRank(RankExpression):
    def as_sql(self, compiler, connection):
        sql, params = tsquery(self.query)
        return (
            f"ts_rank('{RANK_WEIGHTS}'::float4[], {self.table_alias(compiler)}.document, "
            f"{sql}, {RANK_NORMALISATION})",
            params,
        )


class Headline(Expression):
    """ts_headline() of a text column of the record itself (PostgreSQL keeps no copy)."""

    output_field = TextField()

    def __init__(self, column: str, query: ParsedQuery, options: str):
        super().__init__()
        self.source = F(column)
        self.query = query
        self.options = options

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def as_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.source)
        query_sql, query_params = tsquery(self.query)
        sql = f"ts_headline('{CONFIG}'::regconfig, {column_sql}, {query_sql}, %s)"
        return sql, [*column_params, *query_params, self.options]


class PostgreSQLEngine(Engine):
    vendor = "postgresql"

    def newest_first(self, query, *, filtered):
        # For words alone the planner walks the primary key backwards, checking each row
        # (as fast as reading the table's first matches for a word in a third of the
        # quotations, 2.5 ms), or sorts the GIN index's matches (a word in one quotation
        # in fifty: 22 ms, against 13 ms unordered). A phrase is rechecked on every record
        # holding its words, and other filters are an EXISTS per match: in id order either
        # took 100-190 ms where 10-30 ms read the first thousand the index gives.
        return self.scan_order if filtered or query.has_phrase else ("-pk",)

    def match(self, query, spec, *, path=""):
        return TsMatch(query, spec, path=path)

    def rank(self, query, spec, *, path=""):
        return TsRank(query, spec, path=path)

    def highlight_quotes(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        from archive.models import Quote

        # No order (the caller keys the rows by id): the model's default one joined the
        # speeches to sort them.
        rows = (
            Quote.objects.filter(pk__in=list(ids))
            .order_by()
            .annotate(marked_text=Headline("text", query, WHOLE_TEXT))
            .values("pk", "marked_text")
        )
        return {row.pop("pk"): row for row in rows}

    def highlight_speeches(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        from archive.models import Speech

        rows = (
            Speech.objects.filter(pk__in=list(ids))
            .order_by()
            .annotate(
                marked_title=Headline("title", query, WHOLE_TEXT),
                marked_snippet=Headline("text", query, FRAGMENTS),
            )
            .values("pk", "marked_title", "marked_snippet")
        )
        return {row.pop("pk"): row for row in rows}

    def optimize(self, connection, spec):
        # Fresh statistics, so the planner knows how common words are after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {spec.table}")

    def insert_sql(self, spec: DocumentSpec, source_sql: str) -> str:
        aliases = [f"c{n}" for n in range(len(spec.columns) + 1)]
        vector = " || ".join(
            f"setweight(to_tsvector('{CONFIG}'::regconfig, {_plain(f'src.{alias}')}), '{weight}')"
            for alias, (_, weight) in zip(aliases[1:], spec.columns, strict=True)
        )
        # Constant names around the ORM's own compiled SELECT; values stay parameters.
        columns = ", ".join(aliases)
        select = f"SELECT src.c0, {vector} FROM ({source_sql}) AS src({columns})"  # noqa: S608
        return f"INSERT INTO {spec.table} (rowid, document) {select}"
