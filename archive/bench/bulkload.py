"""Writing millions of rows quickly: COPY on PostgreSQL, batched executemany elsewhere.

The synthetic archive is written as plain tuples, never as model instances: building a
million ``Quote`` objects would cost more than inserting them. That means ``save()`` and
signals do not run, so the caller fills what they would have filled (``Quote.fingerprint``,
slugs, timestamps) and rebuilds the search index afterwards.

Columns the generator does not know about (a field another part of the project adds later)
get the field's default, converted once, so a new nullable or defaulted column does not break
the generator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

# Rows written by the generator carry this creation time, so runs are reproducible.
GENERATED_AT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class Table:
    """A model's table: the columns the generator supplies, then constant defaults."""

    def __init__(self, model: type[models.Model], supplied: Sequence[str], connection):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(supplied) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.columns = [fields[name].column for name in supplied]
        self.defaults: tuple = ()
        for field in model._meta.concrete_fields:
            if field.attname in supplied or getattr(field, "generated", False):
                continue
            self.columns.append(field.column)
            self.defaults += (_constant_default(field, connection),)
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        """Queue one row: values in the order of ``supplied``."""
        self.rows.append(values + self.defaults)


def _constant_default(field: models.Field, connection):
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        value = GENERATED_AT
    else:
        value = field.get_default()
    return field.get_db_prep_save(value, connection)


class BulkWriter:
    """Buffers rows per table and writes them in batches, parents before children."""

    def __init__(self, connection: BaseDatabaseWrapper, *, batch_size: int = 5000):
        self.connection = connection
        self.batch_size = batch_size
        self.tables: list[Table] = []
        self.written: dict[str, int] = {}

    def table(self, model: type[models.Model], supplied: Sequence[str]) -> Table:
        """Register a table; register parents first, since batches are written in order."""
        table = Table(model, supplied, self.connection)
        self.tables.append(table)
        return table

    def maybe_flush(self) -> None:
        """Write everything queued once enough rows are waiting."""
        if sum(len(t.rows) for t in self.tables) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write every queued row, table by table in registration order."""
        with self.connection.cursor() as cursor:
            for table in self.tables:
                if table.rows:
                    self._write(cursor, table.name, table.columns, table.rows)
                    self.written[table.name] = self.written.get(table.name, 0) + len(table.rows)
                    table.rows = []

    def _write(self, cursor, name: str, columns: list[str], rows: Iterable[tuple]) -> None:
        quote = self.connection.ops.quote_name
        column_list = ", ".join(quote(c) for c in columns)
        if self.connection.vendor == "postgresql":
            # COPY is several times faster than INSERT for bulk loads; psycopg 3 adapts
            # each Python value the same way it would for a parameter.
            with cursor.cursor.copy(f"COPY {quote(name)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(name)} ({column_list}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )

    def finish(self) -> None:
        """Write what is left, move id sequences past the ids written, refresh statistics."""
        self.flush()
        models_written = [t.model for t in self.tables]
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models_written):
                cursor.execute(sql)
            # Fresh planner statistics: without them the first queries on a million rows
            # may pick a sequential scan.
            if self.connection.vendor in ("postgresql", "sqlite"):
                for table in self.tables:
                    cursor.execute(f"ANALYZE {self.connection.ops.quote_name(table.name)}")


def next_id(model: type[models.Model]) -> int:
    """The first id after those already in ``model``'s table."""
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1
