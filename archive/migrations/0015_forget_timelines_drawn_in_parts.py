"""Stored timelines of the previous format (drawn in parts, before ``FORMATS`` in
``archive.views.summaries`` gave timelines a format of their own) are never read again:
their keys no longer match. They are dropped so that a new server's cache is not filled
with them; every count stays. Each is drawn again by the first reader of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0014_speech_published_at")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
