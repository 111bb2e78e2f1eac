"""Each theme tag beside its quotation's speaker (``SpeakerTag``), kept by triggers.

The table is filled from the tags already there, so upgrading a populated archive loses
nothing; from then on the triggers in ``archive.migrations._speaker_tags`` keep it (until
0018 retires it).
"""

from django.db import migrations, models


def make_triggers(apps, schema_editor):
    from archive.migrations import _speaker_tags as speaker_tags

    connection = schema_editor.connection
    for statement in speaker_tags.create_statements(connection.vendor):
        schema_editor.execute(statement, params=None)
    speaker_tags.rebuild(using=connection.alias)


def drop_triggers(apps, schema_editor):
    from archive.migrations import _speaker_tags as speaker_tags

    for statement in speaker_tags.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0015_forget_timelines_drawn_in_parts")]

    operations = [
        migrations.CreateModel(
            name="SpeakerTag",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("theme_id", models.BigIntegerField()),
                ("speaker_id", models.BigIntegerField()),
                ("quote_id", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["theme_id", "speaker_id", "quote_id"], name="speaker_tag_idx"
                    ),
                    models.Index(fields=["quote_id"], name="speaker_tag_quote_idx"),
                ],
            },
        ),
        migrations.RunPython(make_triggers, drop_triggers),
    ]
