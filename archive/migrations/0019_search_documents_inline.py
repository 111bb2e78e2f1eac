"""On PostgreSQL, keep each search document in its table's row (``STORAGE MAIN``).

A speech's document is some 2.5 KB, over the size from which PostgreSQL moves a value out
of its row (TOAST) by default, and tsvectors hardly compress: so a phrase's recheck, and
ranking, fetched every candidate's document from the TOAST table through its index, a few
pages a row. At a million quotations, a phrase whose words 8,800 speeches hold went from 26
to 10-15 ms, a phrase of common words from 120 to 80, and ranking a common word's first
thousand speeches from 3 to 1 ms. Documents already written are written again, so they
move into their rows; SQLite's FTS5 tables are untouched.
"""

from django.db import migrations

TABLES = ("archive_quote_search", "archive_speech_search")
# TOAST moves a value out of its row once the row is over about 2 KB (2,032 bytes with the
# row's header and key): every document that may have been moved is at least this long.
_MOVED_OUT = 1900


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN document SET STORAGE MAIN")
        # A value updated to itself keeps its TOAST pointer: concatenating nothing makes a
        # new one, stored as the column now says.
        schema_editor.execute(
            f"UPDATE {table} SET document = document || ''::tsvector "  # noqa: S608 - constants
            f"WHERE pg_column_size(document) > {_MOVED_OUT}"
        )


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN document SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("archive", "0018_retire_speaker_tags")]

    operations = [migrations.RunPython(keep_in_row, default_storage)]
