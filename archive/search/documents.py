"""What each record contributes to the index, and how much each part weighs.

A quote is found by its words first, then by who said it and its themes; a speech by its title
first, then its summary and speaker, then its body text. The weights follow PostgreSQL's four
classes (A strongest … D weakest); SQLite's bm25 gets the same ratios as column weights.

The words come from one ORM query per record type (``quote_sources`` / ``speech_sources``),
so both engines index exactly the same text. The functions take the model classes as
arguments so the migration can run them with its historical models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Aggregate, F, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

# PostgreSQL's default ts_rank weights, {D, C, B, A} = {0.1, 0.2, 0.4, 1.0}, times ten.
BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}


@dataclass(frozen=True)
class DocumentSpec:
    """An index table and its weighted text columns, in the order ``*_sources`` yields them."""

    table: str
    columns: tuple[tuple[str, str], ...]  # (column, weight class)

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def column_index(self, name: str) -> int:
        return self.column_names.index(name)

    @property
    def bm25_weights(self) -> list[float]:
        return [BM25_WEIGHTS[weight] for _, weight in self.columns]


QUOTE_DOCUMENT = DocumentSpec("archive_quote_search", (("text", "A"), ("context", "B")))
SPEECH_DOCUMENT = DocumentSpec(
    "archive_speech_search",
    (("title", "A"), ("summary", "B"), ("context", "B"), ("body", "C")),
)


class JoinedText(Aggregate):
    """The values of a group joined by spaces (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def quote_sources(quote_model, ids: Iterable[int] | None = None) -> QuerySet:
    """Rows of (id, text, context) for the quotes with these ids (all quotes if None)."""
    through = quote_model._meta.get_field("themes").remote_field.through
    theme_names = (
        through.objects.filter(quote_id=OuterRef("pk"))
        .order_by()
        .values("quote_id")
        .annotate(names=JoinedText("theme__name"))
        .values("names")
    )
    context = Concat(
        F("speaker__name"),
        Value(" "),
        F("attribution"),
        Value(" "),
        Coalesce(Subquery(theme_names), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    rows = quote_model._base_manager.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.values_list("pk", "text", context)


def speech_sources(speech_model, ids: Iterable[int] | None = None) -> QuerySet:
    """Rows of (id, title, summary, context, body) for these speeches (all if None)."""
    rows = speech_model._base_manager.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.values_list("pk", "title", "summary", F("speaker__name"), "text")
