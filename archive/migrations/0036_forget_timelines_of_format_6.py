"""Stored timelines of format 6 put every quotation's words in “ ”, reported speech too (a
report's summary of what was said, not the speaker's words). Format 7 (``FORMATS`` in
``archive.views.summaries``) writes reported speech as "Reported: …". The old ones are never
read again, their keys no longer matching, and are dropped so that a new server's cache is
not filled with them. Every count stays. Each timeline is drawn again by the first reader
of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0035_hewitt_editorial_note")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
