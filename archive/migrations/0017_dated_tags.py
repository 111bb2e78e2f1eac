"""Each theme tag with its quotation's place in time (``DatedTag``), kept by triggers.

The table is filled from the tags already there, so upgrading a populated archive loses
nothing; from then on the triggers in ``archive.dated_tags`` keep it. Its list-order indexes
are made with the triggers: PostgreSQL needs ``NULLS LAST`` in them, which SQLite refuses.
"""

from django.db import migrations, models


def make_triggers(apps, schema_editor):
    from archive import dated_tags
    from archive.migrations import _speaker_tags as speaker_tags

    connection = schema_editor.connection
    for statement in dated_tags.create_statements(connection.vendor):
        schema_editor.execute(statement, params=None)
    # The speaker tags' functions as they are now made: planned afresh each time (see
    # ``archive.kept_tables``), which those made by 0016 before that was known were not.
    for statement in speaker_tags.KEPT.function_statements(connection.vendor):
        schema_editor.execute(statement, params=None)
    dated_tags.rebuild(using=connection.alias)


def drop_triggers(apps, schema_editor):
    from archive import dated_tags

    for statement in dated_tags.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0016_speaker_tags")]

    operations = [
        migrations.CreateModel(
            name="DatedTag",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("theme_id", models.BigIntegerField()),
                ("quote_id", models.BigIntegerField()),
                ("speaker_id", models.BigIntegerField()),
                ("speech_id", models.BigIntegerField()),
                ("position", models.PositiveIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        max_length=10,
                    ),
                ),
                ("date", models.DateField(null=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["quote_id"], name="dated_tag_quote_idx"),
                    models.Index(fields=["speech_id"], name="dated_tag_speech_idx"),
                ],
            },
        ),
        migrations.RunPython(make_triggers, drop_triggers),
    ]
