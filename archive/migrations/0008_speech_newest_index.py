"""Indexes in the order lists are read: published speeches newest first (newest id first),
overall and by speaker, and events newest first.

Reading a page of a large list then walks this index and stops after one page, instead of
sorting every matching statement (see ``archive/keyset.py``). PostgreSQL needs the NULL
placement spelled out to match ``ORDER BY date DESC NULLS LAST``; SQLite cannot spell it,
and its DESC order already puts NULLs last.
"""

from django.db import migrations

INDEXES = {
    "speech_published_newest_idx": ("archive_speech", "status, date DESC{nulls}, id DESC"),
    "speech_speaker_newest_idx": (
        "archive_speech",
        "speaker_id, status, date DESC{nulls}, id DESC",
    ),
    # The home page's latest events.
    "event_newest_idx": ("archive_event", "date DESC{nulls}, name"),
}


def create(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, (table, columns) in INDEXES.items():
        columns = columns.format(nulls=nulls)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
    # Statistics for the new indexes at once, so the planner weighs them against the others
    # (without them SQLite may prefer one even where the speaker's index is far better).
    for table in sorted({table for table, _ in INDEXES.values()}):
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_pledge")]

    operations = [migrations.RunPython(create, drop)]
