"""Tables the database keeps as copies of others, by triggers (``archive.dated_tags``; the
retired ``SpeakerTag`` was the first).

Such a table holds, for each theme tag, a few columns of the tagged quotation (and its
speech) beside it, so that a list can be read from one index range instead of by joining
the tags to a million quotations. Database triggers keep it, not Django's signals, so that no
way of writing (the admin, ``loaddata``, ``QuerySet.update()``, the bulk loader's COPY, a
correction run in SQL) can leave it behind. A ``KeptTable`` holds one table's triggers for
each database, and how to refill it from scratch.
"""

# Every statement here is built from constant names of this project; nothing comes from input.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections

# A trigger looks up a few rows by key. PL/pgSQL plans each of its statements once for a
# session and keeps the plan if it costs no more than planning afresh would: in a load written
# in one transaction (the bulk generator, a restore), that plan was made while the tables
# were empty, a scan of a whole table that was then run for each of millions of rows written.
# Planned afresh every time, each statement is planned for the tables as they are: an index
# lookup (planning costs some microseconds a row written).
_BY_KEY = "SET plan_cache_mode = force_custom_plan"


def plpgsql(table: str, insert: str, old_rows: str, new_rows: str) -> str:
    """A PostgreSQL trigger function's body for ``table``: the rows ``old_rows`` picks (a
    condition on OLD) go when a row is deleted or updated; those ``new_rows`` selects are
    added by ``insert`` when a row is inserted or updated."""
    return f"""
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                DELETE FROM {table} WHERE {old_rows};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {insert} {new_rows};
            END IF;
            RETURN NULL;
        END"""


@dataclass(frozen=True)
class KeptTable:
    """One kept table: its triggers on SQLite and PostgreSQL, and its whole content.

    ``sqlite_triggers`` maps a trigger's name to what follows ``CREATE TRIGGER <name>``;
    ``postgresql_functions`` a function's name to its body; ``postgresql_triggers`` a
    trigger's name to (its function, the table it watches, the writes it fires on, and a
    condition on OLD and NEW or ""). ``fill`` selects every row the table should hold, in
    ``insert``'s column order. ``indexes`` are made beside the triggers, per database (an
    index Django cannot declare for both).
    """

    table: str
    insert: str
    fill: str
    sqlite_triggers: dict[str, str]
    postgresql_functions: dict[str, str]
    postgresql_triggers: dict[str, tuple[str, str, str, str]]
    indexes: dict[str, dict[str, str]] = field(default_factory=dict)

    def create_statements(self, vendor: str) -> list[str]:
        """SQL making the triggers (and indexes) on ``vendor``'s database; none for others."""
        indexes = [
            f"CREATE INDEX {name} ON {self.table} {columns}"
            for name, columns in self.indexes.get(vendor, {}).items()
        ]
        if vendor == "sqlite":
            triggers = self.sqlite_triggers.items()
            return indexes + [f"CREATE TRIGGER {name} {body}" for name, body in triggers]
        if vendor == "postgresql":
            functions = self.function_statements(vendor)
            triggers = [
                f"CREATE TRIGGER {name} AFTER {writes} ON {table} FOR EACH ROW "
                f"{f'WHEN ({condition}) ' if condition else ''}EXECUTE FUNCTION {function}()"
                for name, (function, table, writes, condition) in self.postgresql_triggers.items()
            ]
            return indexes + functions + triggers
        return []

    def function_statements(self, vendor: str) -> list[str]:
        """SQL making (or remaking) the trigger functions on PostgreSQL; none elsewhere."""
        if vendor != "postgresql":
            return []
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"{_BY_KEY} AS $${body}$$"
            for name, body in self.postgresql_functions.items()
        ]

    def drop_statements(self, vendor: str) -> list[str]:
        """SQL removing what ``create_statements`` made."""
        indexes = [f"DROP INDEX IF EXISTS {name}" for name in self.indexes.get(vendor, {})]
        if vendor == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {name}" for name in self.sqlite_triggers] + indexes
        if vendor == "postgresql":
            triggers = [
                f"DROP TRIGGER IF EXISTS {name} ON {table}"
                for name, (_, table, _, _) in self.postgresql_triggers.items()
            ]
            functions = [f"DROP FUNCTION IF EXISTS {name}()" for name in self.postgresql_functions]
            return triggers + functions + indexes
        return []

    def rebuild(self, using: str = "default") -> int:
        """Refill the table from the tables it copies (after the triggers were off, say);
        how many rows it holds."""
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            cursor.execute(f"{self.insert} {self.fill}")
            count = cursor.rowcount
        self.analyze(connections[using])
        return count

    def analyze(self, connection) -> None:
        """Fresh planner statistics for the table (after a bulk load filled it)."""
        if connection.vendor in ("postgresql", "sqlite"):
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.table}")
