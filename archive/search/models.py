"""The search index tables, as unmanaged models so the ORM can join and filter on them.

One row per record, keyed by the record's id. The tables differ per database and are created
by the migration ``0004_search_index``, never by Django:

- SQLite: FTS5 virtual tables (porter stemming); the id is the FTS5 ``rowid``.
- PostgreSQL: a plain table holding a stored, weighted ``tsvector`` (column ``document``)
  with a GIN index. The id column is also named ``rowid`` so one model serves both.

The id is a one-to-one link to the record (``Quote.search_entry``), without a database
constraint: the index is maintained by ``archive.search.indexing``, and deleting a record
never waits on it. Only the id is a model field; the engines write their own columns
(``MATCH``, ``@@``, ``bm25()``, ``ts_rank()``) against the table alias the ORM chose.
"""

from django.db import models


class QuoteSearchEntry(models.Model):
    """The indexed words of one quote (see ``archive.search.documents``)."""

    quote = models.OneToOneField(
        "archive.Quote",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )

    class Meta:
        app_label = "archive"
        managed = False
        db_table = "archive_quote_search"

    def __str__(self) -> str:
        return f"Index entry for quote {self.pk}"


class SpeechSearchEntry(models.Model):
    """The indexed words of one speech (see ``archive.search.documents``)."""

    speech = models.OneToOneField(
        "archive.Speech",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )

    class Meta:
        app_label = "archive"
        managed = False
        db_table = "archive_speech_search"

    def __str__(self) -> str:
        return f"Index entry for speech {self.pk}"
