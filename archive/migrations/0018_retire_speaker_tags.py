"""Retire ``SpeakerTag``: ``DatedTag`` holds each tag's speaker too, with an index by theme
and speaker, so what one speaker said on one theme is read from there.

The triggers go first (on SQLite they sit on the tags and quotations, and would write into
a table that is gone); then the table. Going back makes the table again, then its triggers,
and fills it from the tags.
"""

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from archive.migrations import _speaker_tags as speaker_tags

    for statement in speaker_tags.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def make_triggers(apps, schema_editor):
    from archive.migrations import _speaker_tags as speaker_tags

    connection = schema_editor.connection
    for statement in speaker_tags.create_statements(connection.vendor):
        schema_editor.execute(statement, params=None)
    speaker_tags.rebuild(using=connection.alias)


class Migration(migrations.Migration):
    dependencies = [("archive", "0017_dated_tags")]

    operations = [
        migrations.RunPython(drop_triggers, make_triggers),
        migrations.RemoveIndex(model_name="speakertag", name="speaker_tag_idx"),
        migrations.RemoveIndex(model_name="speakertag", name="speaker_tag_quote_idx"),
        migrations.DeleteModel(name="SpeakerTag"),
    ]
