"""Speeches remember when they were published, for the "newly published" feed.

Speeches published before this release are taken to have been published when they were
added to the archive (``created_at``): the closest time the archive knows.
"""

from django.db import migrations, models
from django.db.models import F


def published_when_added(apps, schema_editor):
    Speech = apps.get_model("archive", "Speech")
    Speech.objects.using(schema_editor.connection.alias).filter(status="published").update(
        published_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0013_stored_summaries_keyed_without_database_name")]

    operations = [
        migrations.AddField(
            model_name="historicalspeech",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the speech was last made public; empty while it is a draft.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the speech was last made public; empty while it is a draft.",
                null=True,
            ),
        ),
        migrations.RunPython(published_when_added, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["published_at", "id"], name="speech_published_at_idx"),
        ),
    ]
