"""The office a speech's source names its speaker in (``Speech.stated_office``).

Undoing it on SQLite rebuilds the speeches' table (a column with a foreign key cannot be
dropped in place), which SQLite refuses while triggers on other tables read the speeches,
and which drops the triggers on it: the dated tags' triggers are dropped before it and
made again after it (operations are undone last first).
"""

import django.db.models.deletion
from django.db import migrations, models

HELP = (
    "Only when the source names the post the speaker spoke in and the date cannot tell "
    "(e.g. “Health secretary Andrew Lansley” at an event known only to its year). One of "
    "the speaker's offices. Otherwise the office is found from the date."
)


def _on_sqlite(statements):
    def run(apps, schema_editor):
        from archive import dated_tags

        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for statement in statements(dated_tags, vendor):
                schema_editor.execute(statement, params=None)

    return run


drop_dated_tag_triggers = _on_sqlite(lambda tags, vendor: tags.drop_statements(vendor))
make_dated_tag_triggers = _on_sqlite(lambda tags, vendor: tags.create_statements(vendor))


def count_the_new_column(apps, schema_editor):
    # Until the planner's statistics know the column is nearly always empty, PostgreSQL
    # guessed a search by it would match most speeches and read them all (50 ms at a
    # million quotations, where its index answers in 0.2 ms).
    schema_editor.execute("ANALYZE archive_speech", params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0023_forget_timelines_of_format_3")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, make_dated_tag_triggers),
        migrations.AddField(
            model_name="historicalspeech",
            name="stated_office",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="archive.office",
                verbose_name="office named by the source",
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="stated_office",
            field=models.ForeignKey(
                blank=True,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stated_in",
                to="archive.office",
                verbose_name="office named by the source",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_dated_tag_triggers),
        migrations.RunPython(count_the_new_column, migrations.RunPython.noop),
    ]
