"""What each record contributes to the index, and how much each part weighs.

A quote is found by its words first, then by who said it and its themes; a speech by its title
first, then its summary and speaker, then its body text. The weights follow PostgreSQL's four
classes (A strongest … C weakest); SQLite's bm25 gets the same ratios as column weights.

Class D is not ranked (weight 0 on both engines): it holds *filter tokens*, one per speaker
and theme of the record (``speaker_token`` / ``theme_token``), no word a reader types. A
search filtered by a speaker or a theme adds the token to what it matches, so the index
itself intersects the words' records with the speaker's or theme's (FTS5 and GIN both walk
the two lists together) instead of the database checking the words' matches one by one
until a thousand pass the filter: at a million quotations, "services" said by the most
quoted speaker (one quotation in twelve) looked up 12,000 matches to keep 1,000.

The words come from one ORM query per record type (``quote_sources`` / ``speech_sources``),
so both engines index exactly the same text. The functions take the model classes as
arguments so the migration can run them with its historical models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

# PostgreSQL's default ts_rank weights for A, B and C, {C, B, A} = {0.2, 0.4, 1.0}, times ten;
# D holds the filter tokens, which must not rank (see the module docstring).
BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 0.0}
# A token is letters then digits: one word to both engines' tokenizers, which stem neither
# (nor does PostgreSQL's "english" configuration, which keeps such words as they are).
SPEAKER_PREFIX = "zzspeaker"
THEME_PREFIX = "zztheme"


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


QUOTE_DOCUMENT = DocumentSpec(
    "archive_quote_search", (("text", "A"), ("context", "B"), ("tags", "D"))
)
SPEECH_DOCUMENT = DocumentSpec(
    "archive_speech_search",
    (("title", "A"), ("summary", "B"), ("context", "B"), ("body", "C"), ("tags", "D")),
)


def speaker_token(speaker_id: int) -> str:
    """The filter token of a speaker's records (see the module docstring)."""
    return f"{SPEAKER_PREFIX}{int(speaker_id)}"


def theme_token(theme_id: int) -> str:
    """The filter token of the quotations on a theme."""
    return f"{THEME_PREFIX}{int(theme_id)}"


def _token(prefix: str, id_field: str) -> Concat:
    """SQL for ``speaker_token`` / ``theme_token`` of a row's ``id_field``."""
    return Concat(Value(prefix), Cast(id_field, CharField()), output_field=TextField())


class JoinedText(Aggregate):
    """The values of a group joined by spaces (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def quote_sources(quote_model, ids: Iterable[int] | None = None) -> QuerySet:
    """Rows of (id, text, context, tags) for the quotes with these ids (all quotes if None)."""
    through = quote_model._meta.get_field("themes").remote_field.through
    tagged = through.objects.filter(quote_id=OuterRef("pk")).order_by().values("quote_id")
    theme_names = tagged.annotate(names=JoinedText("theme__name")).values("names")
    theme_tokens = tagged.annotate(tokens=JoinedText(_token(THEME_PREFIX, "theme_id")))
    context = Concat(
        F("speaker__name"),
        Value(" "),
        F("attribution"),
        Value(" "),
        Coalesce(Subquery(theme_names), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    tags = Concat(
        _token(SPEAKER_PREFIX, "speaker_id"),
        Value(" "),
        Coalesce(Subquery(theme_tokens.values("tokens")), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    rows = quote_model._base_manager.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.values_list("pk", "text", context, tags)


def speech_sources(speech_model, ids: Iterable[int] | None = None) -> QuerySet:
    """Rows of (id, title, summary, context, body, tags) for these speeches (all if None)."""
    rows = speech_model._base_manager.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    tags = _token(SPEAKER_PREFIX, "speaker_id")
    return rows.values_list("pk", "title", "summary", F("speaker__name"), "text", tags)
