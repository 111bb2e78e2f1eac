"""The triggers that keep ``SpeakerTag`` (each theme tag beside its quotation's speaker).

The table is a copy of ``archive_quote_themes`` with one column added from
``archive_quote``. Database triggers keep it, not Django's signals, so that no way of
writing (the admin, ``loaddata``, ``QuerySet.update()``, the bulk loader's COPY, a
correction run in SQL) can leave it behind:

- a tag added: its row, with the quotation's speaker (if the quotation is there yet; a
  bulk load may write tags first, so a quotation added finds its tags too);
- a tag removed or changed: its row removed or rewritten;
- a quotation's speaker changed: its rows moved to the new speaker;
- a quotation removed: its rows removed (Django removes the tags first anyway).

The same statements serve migration 0016, which makes the triggers and fills the table from
the tags already there, and ``rebuild``, which refills it.
"""

# Every statement here is built from this module's constant names; nothing comes from input.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connections

TABLE = "archive_speakertag"
TAGS = "archive_quote_themes"
QUOTES = "archive_quote"

_FROM_TAG = (
    f"SELECT NEW.id, NEW.theme_id, q.speaker_id, NEW.quote_id FROM {QUOTES} q "
    "WHERE q.id = NEW.quote_id"
)
_FROM_QUOTE = (
    f"SELECT t.id, t.theme_id, NEW.speaker_id, NEW.id FROM {TAGS} t WHERE t.quote_id = NEW.id"
)
_INSERT = f"INSERT INTO {TABLE} (id, theme_id, speaker_id, quote_id)"
_MOVED = "OLD.speaker_id IS NOT NEW.speaker_id OR OLD.id IS NOT NEW.id"

SQLITE_TRIGGERS = {
    "archive_speakertag_tag_added": (f"AFTER INSERT ON {TAGS} BEGIN {_INSERT} {_FROM_TAG}; END"),
    "archive_speakertag_tag_removed": (
        f"AFTER DELETE ON {TAGS} BEGIN DELETE FROM {TABLE} WHERE id = OLD.id; END"
    ),
    "archive_speakertag_tag_changed": (
        f"AFTER UPDATE OF id, quote_id, theme_id ON {TAGS} BEGIN "
        f"DELETE FROM {TABLE} WHERE id = OLD.id; {_INSERT} {_FROM_TAG}; END"
    ),
    "archive_speakertag_quote_added": (
        f"AFTER INSERT ON {QUOTES} BEGIN {_INSERT} {_FROM_QUOTE}; END"
    ),
    # Saving a quotation writes every column: its rows move only when the speaker does.
    "archive_speakertag_speaker_changed": (
        f"AFTER UPDATE OF id, speaker_id ON {QUOTES} WHEN {_MOVED} BEGIN "
        f"DELETE FROM {TABLE} WHERE quote_id = OLD.id; {_INSERT} {_FROM_QUOTE}; END"
    ),
    "archive_speakertag_quote_removed": (
        f"AFTER DELETE ON {QUOTES} BEGIN DELETE FROM {TABLE} WHERE quote_id = OLD.id; END"
    ),
}


def _plpgsql(old_rows: str, new_rows: str) -> str:
    """A PostgreSQL trigger function's body: the rows ``old_rows`` picks (a condition on
    OLD) go when a row is deleted or updated; those ``new_rows`` selects come with a row
    inserted or updated."""
    return f"""
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                DELETE FROM {TABLE} WHERE {old_rows};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {_INSERT} {new_rows};
            END IF;
            RETURN NULL;
        END"""


# PostgreSQL: one function per table watched, branching on the operation.
POSTGRESQL_FUNCTIONS = {
    "archive_speakertag_from_tag": _plpgsql("id = OLD.id", _FROM_TAG),
    "archive_speakertag_from_quote": _plpgsql("quote_id = OLD.id", _FROM_QUOTE),
}
POSTGRESQL_TRIGGERS = {
    # name: (function, when)
    "archive_speakertag_tag_written": (
        "archive_speakertag_from_tag",
        f"AFTER INSERT OR DELETE OR UPDATE OF id, quote_id, theme_id ON {TAGS} FOR EACH ROW",
    ),
    "archive_speakertag_quote_written": (
        "archive_speakertag_from_quote",
        f"AFTER INSERT OR DELETE ON {QUOTES} FOR EACH ROW",
    ),
    # Saving a quotation writes every column: its rows move only when the speaker does.
    "archive_speakertag_speaker_changed": (
        "archive_speakertag_from_quote",
        f"AFTER UPDATE OF id, speaker_id ON {QUOTES} FOR EACH ROW "
        "WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.id IS DISTINCT FROM NEW.id)",
    ),
}


def create_statements(vendor: str) -> list[str]:
    """SQL making the triggers on ``vendor``'s database (none for other databases)."""
    if vendor == "sqlite":
        return [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    if vendor == "postgresql":
        functions = [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"
            for name, body in POSTGRESQL_FUNCTIONS.items()
        ]
        triggers = [
            f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()"
            for name, (function, when) in POSTGRESQL_TRIGGERS.items()
        ]
        return functions + triggers
    return []


def drop_statements(vendor: str) -> list[str]:
    """SQL removing what ``create_statements`` made."""
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    if vendor == "postgresql":
        triggers = [
            f"DROP TRIGGER IF EXISTS {name} ON {TAGS if name.endswith('tag_written') else QUOTES}"
            for name in POSTGRESQL_TRIGGERS
        ]
        return triggers + [f"DROP FUNCTION IF EXISTS {name}()" for name in POSTGRESQL_FUNCTIONS]
    return []


def rebuild(using: str = "default") -> int:
    """Refill the table from the tags (after the triggers were off, say); how many rows."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"{_INSERT} SELECT t.id, t.theme_id, q.speaker_id, t.quote_id "
            f"FROM {TAGS} t JOIN {QUOTES} q ON q.id = t.quote_id"
        )
        count = cursor.rowcount
    analyze(connections[using])
    return count


def analyze(connection) -> None:
    """Fresh planner statistics for the table (after a bulk load filled it)."""
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
