"""The triggers that kept ``SpeakerTag`` (each theme tag beside its quotation's speaker),
as the migrations that made them (0016, 0017) and removed them (0018) need them.

``DatedTag`` (``archive.dated_tags``) took its place: it holds the speaker too, with an
index by theme and speaker. The module starts with "_", so Django does not take it for a
migration.

The table was a copy of ``archive_quote_themes`` with one column added from
``archive_quote``, kept by the database (see ``archive.kept_tables``):

- a tag added: its row, with the quotation's speaker (if the quotation is there yet; a
  bulk load may write tags first, so a quotation added finds its tags too);
- a tag removed or changed: its row removed or rewritten;
- a quotation's speaker changed: its rows moved to the new speaker;
- a quotation removed: its rows removed (Django removes the tags first anyway).
"""

# Every statement here is built from this module's constant names; nothing comes from input.
# ruff: noqa: S608

from __future__ import annotations

from archive.kept_tables import KeptTable, plpgsql

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


KEPT = KeptTable(
    table=TABLE,
    insert=_INSERT,
    fill=(
        f"SELECT t.id, t.theme_id, q.speaker_id, t.quote_id "
        f"FROM {TAGS} t JOIN {QUOTES} q ON q.id = t.quote_id"
    ),
    sqlite_triggers=SQLITE_TRIGGERS,
    # On PostgreSQL, one function per table watched, branching on the operation.
    postgresql_functions={
        "archive_speakertag_from_tag": plpgsql(TABLE, _INSERT, "id = OLD.id", _FROM_TAG),
        "archive_speakertag_from_quote": plpgsql(TABLE, _INSERT, "quote_id = OLD.id", _FROM_QUOTE),
    },
    postgresql_triggers={
        "archive_speakertag_tag_written": (
            "archive_speakertag_from_tag",
            TAGS,
            "INSERT OR DELETE OR UPDATE OF id, quote_id, theme_id",
            "",
        ),
        "archive_speakertag_quote_written": (
            "archive_speakertag_from_quote",
            QUOTES,
            "INSERT OR DELETE",
            "",
        ),
        # Saving a quotation writes every column: its rows move only when the speaker does.
        "archive_speakertag_speaker_changed": (
            "archive_speakertag_from_quote",
            QUOTES,
            "UPDATE OF id, speaker_id",
            "OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.id IS DISTINCT FROM NEW.id",
        ),
    },
)

# What the migrations call.
create_statements = KEPT.create_statements
drop_statements = KEPT.drop_statements
rebuild = KEPT.rebuild
analyze = KEPT.analyze
