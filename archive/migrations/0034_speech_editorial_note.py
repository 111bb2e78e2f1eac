"""Speech.editorial_note: what readers must be told about the words as the archive shows them
(a character the source garbled, repaired).

On SQLite, Django adds a column that may not be null by copying the table into a new one,
which the triggers of the kept tables (``archive.dated_tags``) refuse: they name the speech
table. Both databases add such a column in place when it is given a constant default, so
the column is added by that one statement on both; the default (an empty note) is kept, so
that SQL naming no note, such as an older migration's history version, still writes a row.
"""

from django.db import migrations, models

HELP = (
    "What readers must be told about the words as shown here, e.g. a character the source "
    "garbled and the archive repaired. Shown with the speech and its quotations."
)


def _field() -> models.TextField:
    return models.TextField(blank=True, default="", db_default="", help_text=HELP)


def _alter_tables(schema_editor, change: str) -> None:
    quote = schema_editor.quote_name
    for table in ("archive_speech", "archive_historicalspeech"):
        schema_editor.execute(f"ALTER TABLE {quote(table)} {change}")


def add_columns(apps, schema_editor):
    _alter_tables(schema_editor, "ADD COLUMN \"editorial_note\" text NOT NULL DEFAULT ''")


def remove_columns(apps, schema_editor):
    _alter_tables(schema_editor, 'DROP COLUMN "editorial_note"')


class Migration(migrations.Migration):
    dependencies = [("archive", "0033_correct_pledge_outcome_month")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model, name="editorial_note", field=_field())
                for model in ("historicalspeech", "speech")
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        ),
    ]
