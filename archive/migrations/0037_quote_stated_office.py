"""The office a quotation's source names its speaker in (``Quote.stated_office``): for
someone quoted in another's speech, whom ``Speech.stated_office`` (the speech's own
speaker's) cannot name.

As 0024: undoing it on SQLite rebuilds the quotations' table, which SQLite refuses while
the dated tags' triggers read it, so they are dropped before it and made again after it
(operations are undone last first).
"""

import django.db.models.deletion
from django.db import migrations, models

HELP = (
    "Only when the source names the post this speaker spoke in and the date cannot tell "
    "(e.g. “chairman elect of the National Association of Primary Care”, quoted in "
    "another's speech). One of this speaker's offices. For the speech's own speaker, the "
    "speech's office named by the source applies unless this is set."
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
    # As 0024: until its statistics know the column is nearly always empty, PostgreSQL's
    # planner would guess that a filter on it matches most quotations. (SQLite's planner
    # keeps the statistics it has: new ones could change its plans for every other read.)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE archive_quote", params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0036_forget_timelines_of_format_6")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, make_dated_tag_triggers),
        migrations.AddField(
            model_name="historicalquote",
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
            model_name="quote",
            name="stated_office",
            field=models.ForeignKey(
                blank=True,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stated_for_quotes",
                to="archive.office",
                verbose_name="office named by the source",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_dated_tag_triggers),
        migrations.RunPython(count_the_new_column, migrations.RunPython.noop),
    ]
