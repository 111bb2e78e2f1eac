"""What every engine provides, and the expression plumbing they share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, Expression, F, FloatField, Q, QuerySet

from archive.search.documents import DocumentSpec
from archive.search.query import Item, ParsedQuery, Term

# Private-use characters wrapped around matched words by the database; the highlighter
# escapes the text and only then turns them into <mark> tags (see archive.search.highlight).
MARK_START = "\ue000"
MARK_END = "\ue001"


def item_words(item: Item) -> tuple[str, ...]:
    """An item's words, re-checked: engines rely on them being letters and digits only."""
    words = (item.word,) if isinstance(item, Term) else item.words
    for word in words:
        if not word.isalnum():
            raise ValueError(f"Unsafe search word {word!r}")
    return words


class IndexExpression(Expression):
    """An expression over an index table in the current query, wherever the ORM aliased it.

    It carries ``F("pk")`` as its only source expression: once resolved that is a column
    whose ``alias`` names the index table in this query (or in a subquery, after relabelling).
    """

    def __init__(self, query: ParsedQuery, spec: DocumentSpec, output_field=None, *, path=""):
        super().__init__(output_field=output_field)
        self.query = query
        self.spec = spec
        # From a record's queryset, ``path="search_entry__"`` joins its index row.
        self.pk = F(f"{path}pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def table_alias(self, compiler) -> str:
        return compiler.quote_name_unless_alias(self.pk.alias)


class MatchExpression(IndexExpression):
    """True for index rows that match the query (used in ``filter()``)."""

    conditional = True

    def __init__(self, query, spec, *, path=""):
        super().__init__(query, spec, output_field=BooleanField(), path=path)


class RankExpression(IndexExpression):
    """How well an index row matches: higher is better."""

    def __init__(self, query, spec, *, path=""):
        super().__init__(query, spec, output_field=FloatField(), path=path)


class Engine:
    """One database's full-text search: write the index, match, rank and highlight."""

    vendor = ""

    # --- querying ------------------------------------------------------------------
    # The order in which to scan matches when only the first N are wanted and any N will
    # do (see service): whatever the index gives first, unless that order is free.
    scan_order: tuple[str, ...] = ()

    def newest_first(self, query: ParsedQuery, *, filtered: bool) -> tuple[str, ...]:
        """The order in which the search page reads its first N matches: the most recently
        added first, so that a search matching more than N considers the latest records,
        or ``scan_order`` where that read would cost too much (``filtered``: other filters
        than the words apply)."""
        return ("-pk",)

    def among(self, ids: QuerySet) -> Expression | Q:
        """A condition on index rows: the record's id is one of ``ids`` (a values("pk") query).

        Used when the filters leave few records; the engine decides how to test it.
        """
        return Q(pk__in=ids)

    # Whether ranking counts, for every word matched, the records in the whole index that
    # hold it (bm25()'s inverse document frequency): then every word a read adds costs its
    # count of records, filter tokens included (see service._with_filter_tokens).
    counts_ranked_records = False

    # Whether a walk over records that most often match is better served by looking each
    # record up in the index (``matching(dense=True)``) than by gathering every match first.
    looks_up_dense = False

    def match(self, query: ParsedQuery, spec: DocumentSpec, *, path: str = "") -> Expression:
        """A condition on the index table's rows: they match ``query``.

        On an index queryset ``path`` is empty; on a record queryset it is
        ``"search_entry__"``, which joins each record's index row.
        """
        raise NotImplementedError

    def rank(self, query: ParsedQuery, spec: DocumentSpec, *, path: str = "") -> Expression:
        """An index row's relevance score for ``query`` (bigger is better)."""
        raise NotImplementedError

    def highlight_quotes(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        """``{id: {"text": …}}`` for these quotes, matched words between MARK_START/END."""
        raise NotImplementedError

    def highlight_speeches(self, query: ParsedQuery, ids: Sequence[int]) -> dict[int, dict]:
        """``{id: {"title": …, "snippet": …}}`` for these speeches, marked likewise."""
        raise NotImplementedError

    # --- writing -------------------------------------------------------------------
    def insert_sql(self, spec: DocumentSpec, source_sql: str) -> str:
        """SQL that inserts the rows of ``source_sql`` (id then the spec's columns)."""
        raise NotImplementedError

    def write(self, connection, spec: DocumentSpec, sources: QuerySet) -> None:
        """Insert index rows for the records ``sources`` yields (see archive.search.documents)."""
        sql, params = sources.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(self.insert_sql(spec, sql), params)

    def delete(self, connection, spec: DocumentSpec, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            # Table names come from DocumentSpec constants; the ids are bound parameters.
            sql = f"DELETE FROM {spec.table} WHERE rowid IN ({placeholders})"  # noqa: S608
            cursor.execute(sql, ids)

    def clear(self, connection, spec: DocumentSpec) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {spec.table}")  # noqa: S608 - a constant name

    def optimize(self, connection, spec: DocumentSpec) -> None:
        """Compact the index after a rebuild (a no-op unless the engine needs it)."""
