"""The triggers that keep ``DatedTag`` (each theme tag with its quotation's place in time).

The table is a copy of ``archive_quote_themes`` with the quotation's speaker, speech and
position and that speech's status and date beside each tag, kept by the database (see
``archive.kept_tables``). Its indexes, in the order a theme's quotations are listed (newest
first), the one by speaker too, make a page of any theme, or of one speaker on it, one
index range:

- a tag added: its row, once its quotation and the quotation's speech are there (a bulk
  load may write them in any order, so a quotation or a speech added finds its tags too);
- a tag removed or changed: its row removed or rewritten;
- a quotation given another speaker, or moved to another speech or place in it: its rows
  rewritten;
- a speech published, withdrawn or redated: its quotations' rows rewritten;
- a quotation or speech removed: its rows removed (Django removes the tags first anyway).

The same statements serve migration 0017, which makes the triggers and index and fills the
table from the tags already there, and ``rebuild``, which refills it.
"""

# Every statement here is built from this module's constant names; nothing comes from input.
# ruff: noqa: S608

from __future__ import annotations

from archive.kept_tables import KeptTable, plpgsql

TABLE = "archive_datedtag"
TAGS = "archive_quote_themes"
QUOTES = "archive_quote"
SPEECHES = "archive_speech"
INDEX = "dated_tag_order_idx"
SPEAKER_INDEX = "dated_tag_speaker_order_idx"

_INSERT = (
    f"INSERT INTO {TABLE} (id, theme_id, quote_id, speaker_id, speech_id, position, status, date)"
)
_FROM_TAG = (
    "SELECT NEW.id, NEW.theme_id, NEW.quote_id, q.speaker_id, q.speech_id, q.position, "
    f"s.status, s.date FROM {QUOTES} q JOIN {SPEECHES} s ON s.id = q.speech_id "
    "WHERE q.id = NEW.quote_id"
)
_FROM_QUOTE = (
    "SELECT t.id, t.theme_id, NEW.id, NEW.speaker_id, NEW.speech_id, NEW.position, s.status, "
    f"s.date FROM {TAGS} t JOIN {SPEECHES} s ON s.id = NEW.speech_id WHERE t.quote_id = NEW.id"
)
_FROM_SPEECH = (
    "SELECT t.id, t.theme_id, q.id, q.speaker_id, NEW.id, q.position, NEW.status, NEW.date "
    f"FROM {QUOTES} q JOIN {TAGS} t ON t.quote_id = q.id WHERE q.speech_id = NEW.id"
)
_QUOTE_MOVED = (
    "OLD.speech_id{d}NEW.speech_id OR OLD.position{d}NEW.position "
    "OR OLD.speaker_id{d}NEW.speaker_id OR OLD.id{d}NEW.id"
)
_SPEECH_CHANGED = "OLD.status{d}NEW.status OR OLD.date{d}NEW.date OR OLD.id{d}NEW.id"


def _changed(template: str, distinct: str) -> str:
    """A trigger's condition: ``template`` with each ``{d}`` SQL's "differs, NULLs too"."""
    return template.format(d=distinct)


SQLITE_TRIGGERS = {
    "archive_datedtag_tag_added": f"AFTER INSERT ON {TAGS} BEGIN {_INSERT} {_FROM_TAG}; END",
    "archive_datedtag_tag_removed": (
        f"AFTER DELETE ON {TAGS} BEGIN DELETE FROM {TABLE} WHERE id = OLD.id; END"
    ),
    "archive_datedtag_tag_changed": (
        f"AFTER UPDATE OF id, quote_id, theme_id ON {TAGS} BEGIN "
        f"DELETE FROM {TABLE} WHERE id = OLD.id; {_INSERT} {_FROM_TAG}; END"
    ),
    "archive_datedtag_quote_added": f"AFTER INSERT ON {QUOTES} BEGIN {_INSERT} {_FROM_QUOTE}; END",
    # Saving a record writes every column: its rows are rewritten only when one they copy
    # changes.
    "archive_datedtag_quote_moved": (
        f"AFTER UPDATE OF id, speaker_id, speech_id, position ON {QUOTES} "
        f"WHEN {_changed(_QUOTE_MOVED, ' IS NOT ')} BEGIN "
        f"DELETE FROM {TABLE} WHERE quote_id = OLD.id; {_INSERT} {_FROM_QUOTE}; END"
    ),
    "archive_datedtag_quote_removed": (
        f"AFTER DELETE ON {QUOTES} BEGIN DELETE FROM {TABLE} WHERE quote_id = OLD.id; END"
    ),
    "archive_datedtag_speech_added": (
        f"AFTER INSERT ON {SPEECHES} BEGIN {_INSERT} {_FROM_SPEECH}; END"
    ),
    "archive_datedtag_speech_changed": (
        f"AFTER UPDATE OF id, status, date ON {SPEECHES} "
        f"WHEN {_changed(_SPEECH_CHANGED, ' IS NOT ')} BEGIN "
        f"DELETE FROM {TABLE} WHERE speech_id = OLD.id; {_INSERT} {_FROM_SPEECH}; END"
    ),
    "archive_datedtag_speech_removed": (
        f"AFTER DELETE ON {SPEECHES} BEGIN DELETE FROM {TABLE} WHERE speech_id = OLD.id; END"
    ),
}

KEPT = KeptTable(
    table=TABLE,
    insert=_INSERT,
    fill=(
        "SELECT t.id, t.theme_id, t.quote_id, q.speaker_id, q.speech_id, q.position, "
        "s.status, s.date "
        f"FROM {TAGS} t JOIN {QUOTES} q ON q.id = t.quote_id "
        f"JOIN {SPEECHES} s ON s.id = q.speech_id"
    ),
    sqlite_triggers=SQLITE_TRIGGERS,
    # On PostgreSQL, one function per table watched, branching on the operation.
    postgresql_functions={
        "archive_datedtag_from_tag": plpgsql(TABLE, _INSERT, "id = OLD.id", _FROM_TAG),
        "archive_datedtag_from_quote": plpgsql(TABLE, _INSERT, "quote_id = OLD.id", _FROM_QUOTE),
        "archive_datedtag_from_speech": plpgsql(TABLE, _INSERT, "speech_id = OLD.id", _FROM_SPEECH),
    },
    postgresql_triggers={
        "archive_datedtag_tag_written": (
            "archive_datedtag_from_tag",
            TAGS,
            "INSERT OR DELETE OR UPDATE OF id, quote_id, theme_id",
            "",
        ),
        "archive_datedtag_quote_written": (
            "archive_datedtag_from_quote",
            QUOTES,
            "INSERT OR DELETE",
            "",
        ),
        "archive_datedtag_quote_moved": (
            "archive_datedtag_from_quote",
            QUOTES,
            "UPDATE OF id, speaker_id, speech_id, position",
            _changed(_QUOTE_MOVED, " IS DISTINCT FROM "),
        ),
        "archive_datedtag_speech_written": (
            "archive_datedtag_from_speech",
            SPEECHES,
            "INSERT OR DELETE",
            "",
        ),
        "archive_datedtag_speech_changed": (
            "archive_datedtag_from_speech",
            SPEECHES,
            "UPDATE OF id, status, date",
            _changed(_SPEECH_CHANGED, " IS DISTINCT FROM "),
        ),
    },
    # A theme's published quotations newest first (undated last), as the lists order them:
    # date, then speech, descending; position and quotation ascending; and one speaker's on
    # a theme. SQLite keeps NULLs lowest, so last in a descending column; PostgreSQL is
    # told, and SQLite cannot be.
    indexes={
        vendor: {
            INDEX: f"(theme_id, status, {order})",
            SPEAKER_INDEX: f"(theme_id, speaker_id, status, {order})",
        }
        for vendor, order in (
            ("sqlite", "date DESC, speech_id DESC, position, quote_id"),
            ("postgresql", "date DESC NULLS LAST, speech_id DESC, position, quote_id"),
        )
    },
)

# What migration 0017 and the bulk generator call.
create_statements = KEPT.create_statements
drop_statements = KEPT.drop_statements
rebuild = KEPT.rebuild
analyze = KEPT.analyze
